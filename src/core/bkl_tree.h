/* bkl_tree.h - the BKL (rejection-free KMC) event selector: a binary sum tree
 * over a caller-owned array of doubles, shared by the CPU and CUDA backends.
 *
 * Layout: P = lihop_bkl_leaves(n) is the smallest power of two >= n; the tree
 * array has 2P doubles; leaf k (event k, k < n) lives at tree[P + k], leaves
 * n..P-1 hold 0, node i (1 <= i < P) holds tree[2i] + tree[2i+1], tree[1] is
 * the total rate and tree[0] is unused.
 *
 * Determinism: every internal node is always recomputed as the sum of its two
 * children (never by adding a difference), so the whole tree is a pure function
 * of the leaf values: after any sequence of updates it is bit-identical to a
 * tree freshly built from the same leaves, and it never drifts.  Rates must be
 * finite and >= 0; then a node is > 0 exactly when some leaf below it is > 0,
 * which is what makes selection safe against rounding.
 */
#ifndef LIHOP_BKL_TREE_H
#define LIHOP_BKL_TREE_H

#include <stdint.h>
#include "lihop_hd.h"

/* Number of leaves P (power of two >= n, at least 1). */
LIHOP_HD static inline int64_t lihop_bkl_leaves(int64_t n)
{
    int64_t P = 1;
    while (P < n) P <<= 1;
    return P;
}

/* Length of the tree array for n events: 2P doubles. */
LIHOP_HD static inline int64_t lihop_bkl_tree_len(int64_t n)
{
    return 2 * lihop_bkl_leaves(n);
}

/* Build the tree from rate[0..n): O(P). */
LIHOP_HD static inline void lihop_bkl_init(double *tree, int64_t P, const double *rate, int64_t n)
{
    tree[0] = 0.0;
    for (int64_t k = 0; k < n; ++k) tree[P + k] = rate[k];
    for (int64_t k = n; k < P; ++k) tree[P + k] = 0.0;
    for (int64_t i = P - 1; i >= 1; --i) tree[i] = tree[2 * i] + tree[2 * i + 1];
}

/* Set the rate of one event and re-sum its path to the root: O(log P). */
LIHOP_HD static inline void lihop_bkl_set(double *tree, int64_t P, int64_t leaf, double rate)
{
    int64_t i = P + leaf;
    tree[i] = rate;
    for (i >>= 1; i >= 1; i >>= 1) tree[i] = tree[2 * i] + tree[2 * i + 1];
}

/* Build the internal nodes from leaves already written at tree[P + k], k < n
 * (leaves n..P-1 are zeroed here): the same tree as lihop_bkl_init. */
LIHOP_HD static inline void lihop_bkl_build(double *tree, int64_t P, int64_t n)
{
    tree[0] = 0.0;
    for (int64_t k = n; k < P; ++k) tree[P + k] = 0.0;
    for (int64_t i = P - 1; i >= 1; --i) tree[i] = tree[2 * i] + tree[2 * i + 1];
}

/* Several leaves at once, given in increasing order: the caller has already
 * written tree[P + leaf[k]] for k < n; re-sum their ancestors level by level.
 * leaf[] is scratch (overwritten).  Same final tree as n lihop_bkl_set calls,
 * but each shared ancestor is summed once per level and the sums of one level
 * are independent of each other (no store-load chain through the levels). */
LIHOP_HD static inline void lihop_bkl_set_sorted(double *tree, int64_t P, int32_t *leaf, int32_t n)
{
    /* leaf[] holds node indices relative to the first node of the current
     * level; parents of sorted nodes stay sorted, so duplicates are adjacent */
    int64_t first = P;
    while (first > 1 && n > 1) {
        int32_t m = 0;
        int64_t prev = -1;
        for (int32_t k = 0; k < n; ++k) {
            int64_t node = (first + leaf[k]) >> 1;
            if (node == prev) continue;
            prev = node;
            tree[node] = tree[2 * node] + tree[2 * node + 1];
            leaf[m++] = (int32_t)(node - (first >> 1));
        }
        n = m;
        first >>= 1;
    }
    if (n == 1) /* one path left: plain walk to the root */
        for (int64_t node = (first + leaf[0]) >> 1; node >= 1; node >>= 1)
            tree[node] = tree[2 * node] + tree[2 * node + 1];
}

/* As lihop_bkl_set_sorted for leaves in any order (sorted here, in place). */
LIHOP_HD static inline void lihop_bkl_set_batch(double *tree, int64_t P, int32_t *leaf, int32_t n)
{
    for (int32_t k = 1; k < n; ++k) { /* insertion sort: n is a few dozen */
        int32_t v = leaf[k], q = k - 1;
        while (q >= 0 && leaf[q] > v) { leaf[q + 1] = leaf[q]; --q; }
        leaf[q + 1] = v;
    }
    lihop_bkl_set_sorted(tree, P, leaf, n);
}

LIHOP_HD static inline double lihop_bkl_total(const double *tree)
{
    return tree[1];
}

LIHOP_HD static inline double lihop_bkl_rate(const double *tree, int64_t P, int64_t leaf)
{
    return tree[P + leaf];
}

/* The event whose cumulative-rate interval [sum_{j<k} r_j, sum_{j<=k} r_j)
 * contains x = u * total, for u in [0, 1); -1 when the total is 0.
 * A zero-rate leaf is never returned: going left needs x < left (so left > 0);
 * going right needs a non-empty right subtree; when rounding has pushed x past
 * the end of a node whose right subtree is empty we stay left, which is then
 * non-empty because the node itself is > 0. */
LIHOP_HD static inline int64_t lihop_bkl_select(const double *tree, int64_t P, double u)
{
    if (!(tree[1] > 0.0)) return -1;
    double x = u * tree[1];
    int64_t i = 1;
    while (i < P) {
        double left = tree[2 * i];
        if (x < left) {
            i = 2 * i;
        } else if (tree[2 * i + 1] > 0.0) {
            x -= left;
            i = 2 * i + 1;
        } else {
            i = 2 * i;
        }
    }
    return i - P;
}

#endif
