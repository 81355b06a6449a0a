/* lihop_limits.h - compile-time limits shared by several layers (core layer). */
#ifndef LIHOP_LIMITS_H
#define LIHOP_LIMITS_H

#define LIHOP_GARNET_MAX_SHELLS 4     /* garnet pair shells beyond the hop graph */
#define LIHOP_MAX_LI_VALUES 64        /* garnet Li contents of one deck */

#endif
