/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CMOS real-time clock, read once at boot for the wall clock. The
 * values are validated (a machine without an RTC reads 0xff everywhere,
 * which is detected before any waiting),
 * and the clock is read until two reads agree so an update in between
 * cannot tear the result.
 */
#include "arch.h"

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static int bcd(uint8_t v, bool is_bcd)
{
    if (!is_bcd)
        return v;
    if ((v & 0x0f) > 9 || (v >> 4) > 9)
        return -1;
    return (v >> 4) * 10 + (v & 0x0f);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int rtc_read_epoch(int64_t *seconds)
{
    uint8_t a[6], b[6];

    /* No RTC (a Xen PVH guest): the ports read as all ones. */
    if (cmos(0x0a) == 0xff && cmos(0x0b) == 0xff)
        return -1;

    for (int tries = 0; tries < 5; tries++) {
        for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
            cpu_relax();
        const uint8_t regs[6] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09 };
        for (int i = 0; i < 6; i++)
            a[i] = cmos(regs[i]);
        for (int i = 0; i < 6; i++)
            b[i] = cmos(regs[i]);
        bool same = true;
        for (int i = 0; i < 6; i++)
            same = same && a[i] == b[i];
        if (!same)
            continue;
        uint8_t status_b = cmos(0x0b);
        bool is_bcd = !(status_b & 0x04), h12 = !(status_b & 0x02);
        bool pm = h12 && (a[2] & 0x80);
        int sec = bcd(a[0], is_bcd), min = bcd(a[1], is_bcd);
        int hour = bcd(a[2] & 0x7f, is_bcd), day = bcd(a[3], is_bcd);
        int mon = bcd(a[4], is_bcd), year = bcd(a[5], is_bcd);
        if (h12 && hour >= 1 && hour <= 12)
            hour = (hour % 12) + (pm ? 12 : 0);
        if (sec < 0 || sec > 59 || min < 0 || min > 59 || hour < 0 ||
            hour > 23 || day < 1 || day > 31 || mon < 1 || mon > 12 ||
            year < 0 || year > 99)
            return -1;
        *seconds = days_from_civil(2000 + year, mon, day) * 86400 +
                   hour * 3600 + min * 60 + sec;
        return 0;
    }
    return -1;
}
