/* Calendar dates as day numbers (days since 1970-01-01), so that a
 * difference is a subtraction and a period a count of days. */
#ifndef DR_DATES_H
#define DR_DATES_H

/* "YYYY-MM-DD" strictly (real calendar dates only): DR_OK, or DR_EPARSE. */
int dr_date_from_iso(const char *s, long *day);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void dr_date_to_iso(long day, char out[11]);
long dr_date_from_ymd(int y, int m, int d);
void dr_date_to_ymd(long day, int *y, int *m, int *d);
/* Adds months keeping the day of month, clamped to the month's last day
 * (Jan 31 + 1 month = Feb 28 or 29). */
long dr_date_add_months(long day, int months);

#endif
