/* constants.h - physical constants, SI (2019 redefinition: all exact). The
 * one place they are written; every module takes them from here. */
#ifndef LIHOP_CONSTANTS_H
#define LIHOP_CONSTANTS_H

#define LIHOP_KB_EV 8.617333262e-5       /* Boltzmann constant, eV/K; kT/e in V */
#define LIHOP_KB 1.380649e-23            /* Boltzmann constant, J/K */
#define LIHOP_E 1.602176634e-19          /* elementary charge, C (also J per eV) */
#define LIHOP_NA 6.02214076e23           /* Avogadro constant, 1/mol */

#endif
