/* garnet_arrays.h - the one list of the garnet model's arrays: every pointer
 * field of lihop_garnet_model (garnet_event.h) with its element type and
 * length.  The list drives
 *   - the host side (garnet_impl.h, model/garnet.c): struct lihop_garnet owns
 *     one array per entry under the same name, lihop_garnet_create points the
 *     model at them and lihop_garnet_destroy frees them;
 *   - the CUDA backend (cuda/garnet.cu): one slot of the staging buffer per
 *     entry, copied to the device in one piece, and the device model's
 *     pointers into it.
 * A new array of the model is one line here (and its field in the model);
 * nothing else keeps a list of them.
 *
 * LIHOP_GARNET_MODEL_ARRAYS(X, m) expands X(type, field, count, present) once
 * per array, in a fixed order (the order of the device slots):
 *   type     element type: the model holds const type *field;
 *   field    the name in lihop_garnet_model and in struct lihop_garnet;
 *   count    elements, an expression in the model pointer m (size_t);
 *   present  an expression in m: 0 when the array is absent (its pointer is
 *            then NULL on the device even if the host has one).
 * Optional arrays are NULL on the host when absent (rate_tab, edge_tab0,
 * edge_pk, aff_pk, prog_node; the pair arrays without shells); a NULL host
 * array is NULL on the device. */
#ifndef LIHOP_GARNET_ARRAYS_H
#define LIHOP_GARNET_ARRAYS_H

#include "garnet_event.h"

#define LIHOP_GARNET_MODEL_ARRAYS(X, m)                                                 \
    X(int32_t, hop_start, (size_t)(m)->nsites + 1, 1)                                   \
    X(int32_t, hop_nbr, (size_t)(m)->nedges, 1)                                         \
    X(int32_t, edge_src, (size_t)(m)->nedges, 1)                                        \
    X(int32_t, edge_rev, (size_t)(m)->nedges, 1)                                        \
    X(int32_t, edge_mult, (size_t)(m)->nedges, 1)                                       \
    X(uint8_t, edge_excl_self, (size_t)(m)->nedges, 1)                                  \
    X(double, edge_dE0_eV, (size_t)(m)->nedges, 1)                                      \
    X(double, edge_kra_eV, (size_t)(m)->nedges, 1)                                      \
    X(double, rate_tab, (size_t)(m)->ntab, 1)                                           \
    X(int32_t, edge_tab0, (size_t)(m)->nedges, 1)                                       \
    X(int32_t, excl_start, (size_t)(m)->nsites + 1, 1)                                  \
    X(int32_t, excl_nbr, (size_t)(m)->nexcl, 1)                                         \
    X(int32_t, site_sub, (size_t)(m)->nsites, 1)                                        \
    X(double, edge_vec_A, 3 * (size_t)(m)->nedges, 1)                                   \
    X(double, edge_d2_A2, (size_t)(m)->nedges, 1)                                       \
    X(lihop_garnet_link_rec, link, (size_t)(m)->nlinks, 1)                              \
    X(int32_t, aff_list, (size_t)(m)->naff, 1)                                          \
    X(lihop_garnet_edge_pk, edge_pk, (size_t)(m)->nedges, 1)                            \
    X(int32_t, prog_node, (size_t)(m)->nprog, 1)                                        \
    X(int32_t, pair_start, (size_t)(m)->nsites + 1, (m)->nshells != 0)                  \
    X(int32_t, pair_nbr, (size_t)(m)->npairs, (m)->nshells != 0)                        \
    X(int32_t, pair_w, (size_t)(m)->npairs, (m)->nshells != 0)                          \
    X(int32_t, edge_link, (size_t)(m)->nedges, 1)                                       \
    X(lihop_garnet_link_pk, aff_pk, (size_t)(m)->naff, 1)                               \
    X(int32_t, dlt, 2 * (size_t)(m)->ndelta, 1)                                         \
    X(int32_t, link_edge, (size_t)(m)->nlinks, 1)

#endif
