#include "dates.h"
#include "error.h"


static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int mdays(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days from civil, after Howard Hinnant's public-domain algorithm. */
long dr_date_from_ymd(int y, int m, int d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void dr_date_to_ymd(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int dr_date_from_iso(const char *s, long *day) {
    int v[3] = {0, 0, 0};
    static const int width[3] = {4, 2, 2};
    const char *p = s;
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < width[k]; i++, p++) {
            if (*p < '0' || *p > '9') return DR_EPARSE;
            v[k] = v[k] * 10 + (*p - '0');
        }
        if (k < 2 && *p++ != '-') return DR_EPARSE;
    }
    if (*p) return DR_EPARSE;
    if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays(v[0], v[1])) return DR_EPARSE;
    *day = dr_date_from_ymd(v[0], v[1], v[2]);
    return DR_OK;
}

int dr_date_to_iso(long day, char out[11]) {
    if (day < DR_DAY_FIRST || day > DR_DAY_LAST) {
        out[0] = '\0';
        return DR_EPARSE;
    }
    int y, m, d;
    dr_date_to_ymd(day, &y, &m, &d);
    unsigned yy = (unsigned)y;
    out[0] = (char)('0' + yy / 1000);
    out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10);
    out[3] = (char)('0' + yy % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return DR_OK;
}

long dr_date_add_months(long day, int months) {
    int y, m, d;
    dr_date_to_ymd(day, &y, &m, &d);
    long total = (long)y * 12 + (m - 1) + months;
    int ny = (int)(total >= 0 ? total / 12 : (total - 11) / 12);
    int nm = (int)(total - (long)ny * 12) + 1;
    int nd = d > mdays(ny, nm) ? mdays(ny, nm) : d;
    return dr_date_from_ymd(ny, nm, nd);
}
