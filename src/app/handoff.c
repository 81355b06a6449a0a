/* handoff.c - `lihop handoff` (handoff.h): the fits of config_handoff.c as
 * YAML a user can inspect and paste, with errors and the garnet points as
 * comments. */
#include "handoff.h"
#include "config_handoff.h"
#include "constants.h"
#include "garnet_table.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Read and fit both files first: nothing is printed unless both succeed. */
typedef struct {
    lihop_garnet_table bulk, bc;
    lihop_handoff_bulk b;
    lihop_handoff_asr a;
} handoff_fits;

static lihop_status fit_all(handoff_fits *h, const char *bulk_path, const char *bc_path, lihop_err *err)
{
    lihop_status st = lihop_garnet_table_read(bulk_path, &h->bulk, err);
    if (!st && (st = lihop_handoff_bulk_fit(&h->bulk, NAN, &h->b, err)) != LIHOP_OK)
        return st;
    if (!st && bc_path && (st = lihop_garnet_table_read(bc_path, &h->bc, err)) == LIHOP_OK)
        st = lihop_handoff_asr_fit(&h->bc, h->b.li_per_fu, 1, &h->a, err);
    return st;
}

static void provenance(FILE *out, const char *what, const lihop_garnet_table *t)
{
    fprintf(out, "# %s: %s\n#   git_describe %s, seed %" PRIu64 ", status %s\n", what, t->path, t->git_describe,
            t->seed, t->status);
}

static void fit_comment(FILE *out, const lihop_arrhenius_fit *f, int n, double tmin, double tmax, double li)
{
    fprintf(out, "#   li_per_fu %g, %d temperatures %g-%g K, %s least squares of ln X against 1/kT "
                 "(src/core/fit.c), chi2_red %.3g\n", li, n, tmin, tmax, f->weighted ? "weighted" : "unweighted",
            f->chi2_red);
}

static void bulk_block(FILE *out, const handoff_fits *h)
{
    const lihop_handoff_bulk *b = &h->b;
    const lihop_garnet_table *t = &h->bulk;
    provenance(out, "bulk", t);
    fit_comment(out, &b->fit, b->n, b->T_min_K, b->T_max_K, b->li_per_fu);
    fprintf(out, "#   sigma = A exp(-Ea/kT): A = %.4e +- %.2e S/cm, Ea = %.4f +- %.4f eV\n", b->fit.A / 100.0,
            b->fit.A_err / 100.0, b->fit.Ea_eV, b->fit.Ea_err_eV);
    fprintf(out, "#   T [K]   garnet sigma [S/cm]        law [S/cm]\n");
    for (int r = 0; r < t->n; r++)
        if (fabs(t->li_per_fu[r] - b->li_per_fu) <= 1e-9)
            fprintf(out, "#   %6.1f  %.4e +- %.2e  %.4e\n", t->T_K[r], t->sigma_S_m[r] / 100.0,
                    t->sigma_err_S_m[r] / 100.0, b->fit.A * exp(-b->fit.Ea_eV / (LIHOP_KB_EV * t->T_K[r])) / 100.0);
    fprintf(out, "phases:\n  - name: llzo                      # from_garnet: {results: %s} gives the same\n"
                 "    carriers:\n      - species: li\n"
                 "        concentration_mol_L: %.12g   # the garnet's Li density, %.6e 1/m^3\n"
                 "        sigma_S_cm: {law: arrhenius, prefactor: %.12e, Ea_eV: %.12f}\n",
            t->path, b->conc_m3 / (1000.0 * LIHOP_NA), b->conc_m3, b->fit.A / 100.0, b->fit.Ea_eV);
}

static void asr_block(FILE *out, const handoff_fits *h)
{
    const lihop_handoff_asr *a = &h->a;
    const lihop_garnet_table *t = &h->bc;
    provenance(out, "bicrystal", t);
    fit_comment(out, &a->fit, a->n, a->T_min_K, a->T_max_K, a->li_per_fu);
    fprintf(out, "#   ASR = ASR0 exp(+Ea/kT) per boundary (fit of 1/ASR): ASR0 = %.4e +- %.2e ohm cm^2, "
                 "Ea = %.4f +- %.4f eV\n", a->asr0_ohm_m2 * 1e4, a->asr0_err_ohm_m2 * 1e4, a->Ea_eV, a->Ea_err_eV);
    fprintf(out, "#   T [K]   garnet ASR [ohm cm^2]      law [ohm cm^2]\n");
    for (int r = 0; r < t->n; r++)
        if (fabs(t->li_per_fu[r] - a->li_per_fu) <= 1e-9)
            fprintf(out, "#   %6.1f  %.4e +- %.2e  %.4e\n", t->T_K[r], t->asr_ohm_m2[r] * 1e4,
                    t->asr_err_ohm_m2[r] * 1e4, a->asr0_ohm_m2 * exp(a->Ea_eV / (LIHOP_KB_EV * t->T_K[r])) * 1e4);
    fprintf(out, "interfaces:\n  - phases: [llzo, gb]              # from_garnet: {results: %s} gives the same\n"
                 "    # per boundary: halve the prefactor where a boundary phase is crossed twice "
                 "(faces_per_boundary: 2)\n"
                 "    asr_law_ohm_cm2: {law: arrhenius, prefactor: %.12e, Ea_eV: %.12f}\n",
            t->path, a->asr0_ohm_m2 * 1e4, a->Ea_eV);
}

lihop_status lihop_handoff_yaml(FILE *out, const char *bulk_path, const char *bicrystal_path, lihop_err *err)
{
    handoff_fits *h = calloc(1, sizeof *h);
    if (!h)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
    lihop_status st = fit_all(h, bulk_path, bicrystal_path, err);
    if (!st) {
        fprintf(out, "# lihop handoff: voxel phase and interface parameters from garnet results\n"
                     "# (README \"From atoms to a membrane\"); rename the phases to the deck's.\n");
        bulk_block(out, h);
        if (bicrystal_path)
            asr_block(out, h);
    }
    free(h);
    return st;
}
