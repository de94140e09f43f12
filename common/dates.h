/* Calendar dates as day numbers (days since 1970-01-01), so that a
 * difference is a subtraction and a period a count of days. */
#ifndef DR_DATES_H
#define DR_DATES_H

/* "YYYY-MM-DD" strictly (real calendar dates only): DR_OK, or DR_EPARSE. */
int dr_date_from_iso(const char *s, long *day);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL): DR_OK, or DR_EPARSE (out
 * empty) for a day before 0001-01-01 or after 9999-12-31: what
 * dr_date_from_iso would not read back (9999-12-31 + 90 days is not
 * "0000-03-30"). */
int dr_date_to_iso(long day, char out[11]);
/* The days of 0001-01-01 and 9999-12-31 (days since 1970-01-01). */
#define DR_DAY_FIRST (-719162L)
#define DR_DAY_LAST 2932896L
long dr_date_from_ymd(int y, int m, int d);
void dr_date_to_ymd(long day, int *y, int *m, int *d);
/* Adds months keeping the day of month, clamped to the month's last day
 * (Jan 31 + 1 month = Feb 28 or 29). */
long dr_date_add_months(long day, int months);

#endif
