/* config_micro_gen.c - pass 3 for the polycrystal, PIC and stack generators
 * and the crystallinity block (src/model/micro_gen.h), called by conv_micro
 * (config_voxel.c) after the other microstructure keys. */
#include "config_impl.h"

#define GRAIN_MIN_VOXELS 8.0        /* mean voxels per grain: fewer and a grain is a few voxels of boundary */
#define GRAIN_SIZE_MAX_M 1e-2
#define FACTOR_MAX 1e3

/* The polycrystal keys of a deck block (microstructure or a slab). */
typedef struct {
    const int64_t *grains;
    const double *grain_size_m, *gb_thickness_m;
    const char *grain, *boundary, *polymer;
} poly_keys;

static lihop_status grain_count(pctx *c, const char *pre, const poly_keys *k, const int n[3], double h,
                                lihop_poly_cfg *out)
{
    char p[PATH_CAP];
    double nvox = (double)n[0] * n[1] * n[2], gmax = floor(nvox / GRAIN_MIN_VOXELS);
    if (k->grains && k->grain_size_m) {
        char q[PATH_CAP];
        snprintf(p, sizeof p, "%s.grain_size_m", pre);
        snprintf(q, sizeof q, "%s.grains", pre);
        return cfg_fail_at(c, p, "expected exactly one of grains or grain_size_m, got both (grains on line %d)",
                           cfg_line_of(c, q));
    }
    if (!k->grains && !k->grain_size_m) {
        snprintf(p, sizeof p, "%s.generator", pre);
        return cfg_fail_at(c, p, "expected grains (a count) or grain_size_m (mean grain diameter, m), got neither");
    }
    if (k->grains) {
        snprintf(p, sizeof p, "%s.grains", pre);
        if (*k->grains < 1 || (double)*k->grains > fmax(gmax, 1.0))
            return cfg_fail_at(c, p, "expected from 1 to %.0f grains (at least %g voxels per grain in a box of %.0f), "
                               "got %s", fmax(gmax, 1.0), GRAIN_MIN_VOXELS, nvox, cfg_got(c, p));
        out->ngrains = (int)*k->grains;
        return LIHOP_OK;
    }
    snprintf(p, sizeof p, "%s.grain_size_m", pre);
    lihop_status st = cfg_need_range(c, p, *k->grain_size_m, 1, 0.0, GRAIN_SIZE_MAX_M, "a grain diameter", "m");
    if (st) return st;
    double d = *k->grain_size_m, g = nvox * h * h * h / (3.14159265358979323846 / 6.0 * d * d * d);
    if (g > fmax(gmax, 1.0) + 0.5)
        return cfg_fail_at(c, p, "expected a grain diameter of at least %.3g m (%g voxels per grain of edge %g m), got "
                           "%s (%.0f grains)", h * cbrt(GRAIN_MIN_VOXELS * 6.0 / 3.14159265358979323846),
                           GRAIN_MIN_VOXELS, h, cfg_got(c, p), g);
    out->ngrains = 0;
    out->grain_size_m = d;
    return LIHOP_OK;
}

/* grains or grain_size_m, gb_thickness_m with boundary, grain, polymer (pic). */
static lihop_status conv_poly(pctx *c, const lihop_config *cfg, const char *pre, int gen, const poly_keys *k,
                              const int n[3], lihop_poly_cfg *out)
{
    char p[PATH_CAP];
    lihop_status st;
    double h = cfg->micro.voxel_m;
    out->boundary_phase = out->polymer_phase = out->grain_phase = -1;
    if ((st = grain_count(c, pre, k, n, h, out)) != LIHOP_OK) return st;
    snprintf(p, sizeof p, "%s.grain", pre);
    if (!k->grain)
        return cfg_fail_line(c, cfg_line_of(c, pre), p, "expected a value (the phase of the grains), got nothing");
    if ((st = cfg_need_phase(c, cfg, p, k->grain, &out->grain_phase)) != LIHOP_OK) return st;
    if (k->gb_thickness_m) {
        /* one voxel at least: a thinner band leaves holes a 6-neighbour walk passes through */
        snprintf(p, sizeof p, "%s.gb_thickness_m", pre);
        if ((st = cfg_need_range(c, p, *k->gb_thickness_m, 0, h, VOXEL_MAX_M,
                                 "a boundary thickness (at least one voxel edge, or the boundary has holes)", "m")))
            return st;
        out->gb_thickness_m = *k->gb_thickness_m;
    }
    snprintf(p, sizeof p, "%s.boundary", pre);
    if (!!k->boundary != !!k->gb_thickness_m)
        return cfg_fail_at(c, k->boundary ? p : pre, "expected boundary (a phase) and gb_thickness_m together, got %s",
                           k->boundary ? "boundary without gb_thickness_m" : "gb_thickness_m without boundary");
    if (k->boundary && (st = cfg_need_phase(c, cfg, p, k->boundary, &out->boundary_phase)) != LIHOP_OK) return st;
    if (out->boundary_phase == out->grain_phase && k->boundary)
        return cfg_fail_at(c, p, "expected a boundary phase other than the grains', got '%s' for both", k->boundary);
    if (gen != LIHOP_GEN_PIC) return LIHOP_OK;
    snprintf(p, sizeof p, "%s.polymer", pre);
    if (!k->polymer)
        return cfg_fail_line(c, cfg_line_of(c, pre), p, "expected a value (the phase in the pores), got nothing");
    if ((st = cfg_need_phase(c, cfg, p, k->polymer, &out->polymer_phase)) != LIHOP_OK) return st;
    if (out->polymer_phase == out->grain_phase || out->polymer_phase == out->boundary_phase)
        return cfg_fail_at(c, p, "expected a polymer phase other than the grains' and the boundaries', got '%s'",
                           k->polymer);
    return LIHOP_OK;
}

/* PIC: the ceramic volume fraction is 0.60 .. 0.95 (a dense ceramic with open pores). */
static lihop_status pic_fraction(pctx *c, const char *path, const double *v, unsigned n)
{
    return cfg_check_list(c, path, v, n, 0, 0.60, 0.95, "a ceramic volume fraction (PIC)", "");
}

/* Keys a slab may hold, by the slab's generator. */
#define S_UNI (1u << LIHOP_GEN_UNIFORM)
#define S_SPH (1u << LIHOP_GEN_SPHERES)
#define S_RND (1u << LIHOP_GEN_RANDOM_VOXELS)
#define S_VOR (1u << LIHOP_GEN_VORONOI)
#define S_PIC (1u << LIHOP_GEN_PIC)
static const struct {
    const char *key;
    unsigned uses, needs;
} slab_keys[] = {
    {"matrix", S_UNI | S_SPH | S_RND, S_UNI | S_SPH | S_RND}, {"filler", S_SPH | S_RND, S_SPH | S_RND},
    {"volume_fraction", S_SPH | S_RND | S_PIC, S_SPH | S_RND | S_PIC}, {"radius_voxels", S_SPH, S_SPH},
    {"overlap", S_SPH, 0}, {"grains", S_VOR | S_PIC, 0}, {"grain_size_m", S_VOR | S_PIC, 0},
    {"gb_thickness_m", S_VOR | S_PIC, 0}, {"grain", S_VOR | S_PIC, S_VOR | S_PIC},
    {"boundary", S_VOR | S_PIC, 0}, {"polymer", S_PIC, S_PIC},
};

static lihop_status check_slab_keys(pctx *c, const char *pre, int gen)
{
    char p[PATH_CAP];
    const char *gname = cfg_generator_strings[gen].str;
    if (!((S_UNI | S_SPH | S_RND | S_VOR | S_PIC) & (1u << gen))) {
        snprintf(p, sizeof p, "%s.generator", pre);
        return cfg_fail_at(c, p, "expected a slab generator (uniform, spheres, random_voxels, voronoi, pic), got '%s'",
                           gname);
    }
    for (size_t i = 0; i < sizeof slab_keys / sizeof slab_keys[0]; i++) {
        snprintf(p, sizeof p, "%s.%s", pre, slab_keys[i].key);
        int has = cfg_present(c, p);
        if (has && !(slab_keys[i].uses & (1u << gen)))
            return cfg_fail_at(c, p, "expected only the keys of generator '%s' in this slab, got '%s'", gname,
                               slab_keys[i].key);
        if (!has && (slab_keys[i].needs & (1u << gen)))
            return cfg_fail_line(c, cfg_line_of(c, pre), p, "expected a value (generator '%s' needs it), got nothing",
                                 gname);
    }
    return LIHOP_OK;
}

/* Phases and scalars of slab l, whose sub-box is n. */
static lihop_status conv_slab_body(pctx *c, lihop_config *cfg, const char *pre, const y_slab *y, const int n[3],
                                   lihop_slab_cfg *s)
{
    char p[PATH_CAP];
    lihop_status st;
    s->matrix_phase = s->filler_phase = -1;
    snprintf(p, sizeof p, "%s.matrix", pre);
    if (y->matrix && (st = cfg_need_phase(c, cfg, p, y->matrix, &s->matrix_phase))) return st;
    snprintf(p, sizeof p, "%s.filler", pre);
    if (y->filler && (st = cfg_need_phase(c, cfg, p, y->filler, &s->filler_phase))) return st;
    if (y->filler && s->filler_phase == s->matrix_phase)
        return cfg_fail_at(c, p, "expected a filler phase other than the matrix, got '%s' for both", y->filler);
    snprintf(p, sizeof p, "%s.volume_fraction", pre);
    if (y->volume_fraction) {
        st = s->generator == LIHOP_GEN_PIC ? pic_fraction(c, p, y->volume_fraction, 1)
                                           : cfg_need_range(c, p, *y->volume_fraction, 0, 0.0, 1.0, "a fraction", "");
        if (st) return st;
        s->volume_fraction = *y->volume_fraction;
    }
    int nmin = n[0] < n[1] ? (n[0] < n[2] ? n[0] : n[2]) : (n[1] < n[2] ? n[1] : n[2]);
    snprintf(p, sizeof p, "%s.radius_voxels", pre);
    if (y->radius_voxels && (st = cfg_need_range(c, p, *y->radius_voxels, 0, 0.5, 0.5 * nmin,
                                                 "a radius (half the slab's smallest edge at most)", "voxels")))
        return st;
    s->radius_voxels = y->radius_voxels ? *y->radius_voxels : 0.0;
    s->overlap = y->overlap ? (*y->overlap ? 1 : 0) : 1;
    s->seed_given = y->seed != NULL;
    s->seed = y->seed ? *y->seed : 0;
    if (s->generator != LIHOP_GEN_VORONOI && s->generator != LIHOP_GEN_PIC) return LIHOP_OK;
    poly_keys k = {y->grains, y->grain_size_m, y->gb_thickness_m, y->grain, y->boundary, y->polymer};
    return conv_poly(c, cfg, pre, s->generator, &k, n, &s->poly);
}

/* stack: slabs with fractions summing to 1, each at least one voxel thick. */
static lihop_status conv_slabs(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    char pre[PATH_CAP / 2], p[PATH_CAP];
    lihop_status st;
    double sum = 0.0;
    int start = 0, ax = m->axis;
    m->nslabs = (int)y->slabs_count;
    for (int l = 0; l < m->nslabs; l++) {
        const y_slab *ys = &y->slabs[l];
        lihop_slab_cfg *s = &m->slab[l];
        snprintf(pre, sizeof pre, "microstructure.slabs[%d]", l);
        snprintf(p, sizeof p, "%s.fraction", pre);
        if (!(ys->fraction > 0.0 && ys->fraction <= 1.0))
            return cfg_fail_at(c, p, "expected a fraction in (0, 1], got %s", cfg_got(c, p));
        sum += s->fraction = ys->fraction;
        int end = l == m->nslabs - 1 ? m->n[ax] : (int)lround(sum * m->n[ax]);
        if (end <= start)
            return cfg_fail_at(c, p, "expected a slab at least one voxel thick (%d voxels along %c), got %s", m->n[ax],
                               "xyz"[ax], cfg_got(c, p));
        int n[3] = {m->n[0], m->n[1], m->n[2]};
        n[ax] = end - start;
        start = end;
        s->generator = (lihop_generator_kind)ys->generator;
        if ((st = check_slab_keys(c, pre, ys->generator)) || (st = conv_slab_body(c, cfg, pre, ys, n, s)))
            return st;
    }
    if (fabs(sum - 1.0) > 1e-6)
        return cfg_fail_at(c, "microstructure.slabs", "expected slab fractions summing to 1 (within 1e-6), got %.9g",
                           sum);
    return LIHOP_OK;
}

/* A table of rows (x strictly increasing in [xlo, xhi], y in [0, ymax]). */
static lihop_status conv_table(pctx *c, const char *pre, const char *xk, const char *yk, const y_xy *rows,
                               unsigned n, double xlo, double xhi, double ymax, double *x, double *yv)
{
    char p[PATH_CAP];
    lihop_status st;
    for (unsigned i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s[%u].%s", pre, i, xk);
        if ((st = cfg_need_range(c, p, rows[i].x, 0, xlo, xhi, xk, "")) != LIHOP_OK) return st;
        if (i > 0 && !(rows[i].x > rows[i - 1].x))
            return cfg_fail_at(c, p, "expected %s increasing from row to row, got %s after %g", xk, cfg_got(c, p),
                               rows[i - 1].x);
        snprintf(p, sizeof p, "%s[%u].%s", pre, i, yk);
        if ((st = cfg_need_range(c, p, rows[i].y, 0, 0.0, ymax, yk, "")) != LIHOP_OK) return st;
        x[i] = rows[i].x;
        yv[i] = rows[i].y;
    }
    return LIHOP_OK;
}

static lihop_status conv_cryst(pctx *c, lihop_config *cfg, const y_cryst *y)
{
    const char *pre = "microstructure.crystallinity";
    lihop_cryst_cfg *k = &cfg->micro.cryst;
    lihop_status st;
    if (cfg->micro.generator == LIHOP_GEN_HDF5)
        return cfg_fail_at(c, pre, "expected no crystallinity with generator 'hdf5' (label files are used as read), "
                           "got a crystallinity block");
    if ((st = cfg_need_phase(c, cfg, "microstructure.crystallinity.polymer", y->polymer, &k->polymer_phase)) ||
        (st = cfg_need_phase(c, cfg, "microstructure.crystallinity.crystalline", y->crystalline, &k->crystal_phase)))
        return st;
    if (k->polymer_phase == k->crystal_phase)
        return cfg_fail_at(c, "microstructure.crystallinity.crystalline",
                           "expected a crystalline phase other than the polymer, got '%s' for both", y->crystalline);
    int nmin = cfg->micro.n[0] < cfg->micro.n[1] ? cfg->micro.n[0] : cfg->micro.n[1];
    nmin = nmin < cfg->micro.n[2] ? nmin : cfg->micro.n[2];
    if ((st = cfg_need_range(c, "microstructure.crystallinity.cluster_voxels", y->cluster_voxels, 0, 0.0, 0.5 * nmin,
                             "a crystallite radius (half the smallest box edge at most)", "voxels")))
        return st;
    k->cluster_voxels = y->cluster_voxels;
    if (!!y->fraction == !!y->fraction_vs_T)
        return cfg_fail_at(c, y->fraction ? "microstructure.crystallinity.fraction_vs_T" : pre,
                           "expected exactly one of fraction or fraction_vs_T, got %s", y->fraction ? "both" : "neither");
    if (y->fraction && (st = cfg_need_range(c, "microstructure.crystallinity.fraction", *y->fraction, 0, 0.0, 1.0,
                                            "a crystalline fraction of the polymer", "")))
        return st;
    k->fraction = y->fraction ? *y->fraction : 0.0;
    k->ntemp = (int)y->fraction_vs_T_count;
    if ((st = conv_table(c, "microstructure.crystallinity.fraction_vs_T", "T_K", "fraction", y->fraction_vs_T, k->ntemp,
                         T_MIN_K, T_MAX_K, 1.0, k->temp_K, k->temp_fraction)))
        return st;
    k->nfiller = (int)y->filler_factor_count;
    if ((st = conv_table(c, "microstructure.crystallinity.filler_factor", "filler_fraction", "factor",
                         y->filler_factor, k->nfiller, 0.0, 1.0, FACTOR_MAX, k->filler_fraction, k->filler_factor)))
        return st;
    if (y->melting_K && (st = cfg_need_range(c, "microstructure.crystallinity.melting_K", *y->melting_K, 0, T_MIN_K,
                                             T_MAX_K, "a melting temperature", "K")))
        return st;
    k->melting_K = y->melting_K ? *y->melting_K : 0.0;
    /* one microstructure per temperature only when the fraction depends on T */
    k->depends_on_T = k->ntemp > 0 || k->melting_K > 0.0;
    k->T_K = k->depends_on_T ? cfg->temperature_K[0] : 0.0;
    k->on = 1;
    return LIHOP_OK;
}

lihop_status cfg_conv_micro_gen(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    lihop_status st;
    int gen = m->generator;
    if (gen == LIHOP_GEN_PIC && y->volume_fraction &&
        (st = pic_fraction(c, "microstructure.volume_fraction", y->volume_fraction, y->volume_fraction_count)))
        return st;
    if (gen == LIHOP_GEN_VORONOI || gen == LIHOP_GEN_PIC) {
        poly_keys k = {y->grains, y->grain_size_m, y->gb_thickness_m, y->grain, y->boundary, y->polymer};
        if ((st = conv_poly(c, cfg, "microstructure", gen, &k, m->n, &m->poly))) return st;
    }
    if (gen == LIHOP_GEN_STACK && (st = conv_slabs(c, cfg, y))) return st;
    return y->crystallinity ? conv_cryst(c, cfg, y->crystallinity) : LIHOP_OK;
}
