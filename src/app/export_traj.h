/* export_traj.h - `lihop export h5md` (export_traj.c): a finished voxel
 * point's walkers replayed and written as an H5MD 1.1 trajectory
 * (README "H5MD trajectory export"). */
#ifndef LIHOP_EXPORT_TRAJ_H
#define LIHOP_EXPORT_TRAJ_H

/* argv[0] = "export", then h5md RESULTS.h5 and the options; returns the exit code. */
int lihop_cmd_export_h5md(int argc, char **argv);
/* 1 when the first positional word of `lihop export`'s argv is "h5md". */
int lihop_export_is_h5md(int argc, char **argv);

#endif
