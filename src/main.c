/* main.c - the lihop command line (placeholder while the CLI is being written). */
#include <stdio.h>
#include "lihop_version.h"
int main(void) { printf("lihop %s\n", LIHOP_VERSION); return 0; }
