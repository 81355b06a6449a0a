/* lihop.h - the public umbrella header: every layer's API, from core (status,
 * constants, random streams, fits) through input (decks, lattice files), model
 * (lattices, garnet and voxel models, microstructures), backend (CPU
 * strategies, CUDA launchers), diag (observables, sweep points) and io
 * (results files) to app (sweeps, the run engine, validation).  Each layer
 * links only the layers below it (README "Architecture"). */
#ifndef LIHOP_H
#define LIHOP_H

#include "status.h"
#include "constants.h"
#include "rng.h"
#include "fit.h"
#include "config.h"
#include "lattice_spec.h"
#include "lattice.h"
#include "garnet.h"
#include "garnet_setup.h"
#include "micro.h"
#include "voxel_model.h"
#include "backend.h"
#include "backend_cuda.h"
#include "garnet_run.h"
#include "garnet_observe.h"
#include "garnet_point.h"
#include "voxel.h"
#include "h5out.h"
#include "micro_h5.h"
#include "lattice_h5.h"
#include "durable.h"
#include "sweep.h"
#include "sweep_run.h"
#include "validate.h"

#endif
