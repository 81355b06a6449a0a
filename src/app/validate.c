/* validate.c - the registry of physics checks: every model adds its list here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "validate.h"

const lihop_check *lihop_validate_voxel_checks(int *n);
const lihop_check *lihop_validate_garnet_checks(int *n);
const lihop_check *lihop_validate_exact_checks(int *n);
const lihop_check *lihop_validate_garnet_calib_checks(int *n);
const lihop_check *lihop_validate_space_charge_checks(int *n);
const lihop_check *lihop_validate_generator_checks(int *n);
const lihop_check *lihop_validate_percolation_checks(int *n);

const lihop_check *lihop_validate_checks(int *n)
{
    static lihop_check all[64];
    static int count = -1;
    if (count < 0) {
        const lihop_check *(*lists[])(int *) = {lihop_validate_voxel_checks, lihop_validate_exact_checks,
                                                 lihop_validate_space_charge_checks, lihop_validate_generator_checks,
                                                 lihop_validate_garnet_checks,
                                                 lihop_validate_garnet_calib_checks, lihop_validate_percolation_checks};
        count = 0;
        for (size_t l = 0; l < sizeof lists / sizeof lists[0]; ++l) {
            int m;
            const lihop_check *c = lists[l](&m);
            for (int i = 0; i < m && count < 64; ++i) all[count++] = c[i];
        }
    }
    *n = count;
    return all;
}

void lihop_check_set_row(lihop_check_result *o, const char *what, double expected, double measured, double error,
                         double tol, const char *unit)
{
    snprintf(o->what, sizeof o->what, "%s", what);
    o->expected = expected;
    o->measured = measured;
    o->error = error;
    o->tolerance = tol;
    snprintf(o->unit, sizeof o->unit, "%s", unit);
    o->pass = fabs(measured - expected) <= tol;
}
