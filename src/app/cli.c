/* cli.c - the lihop command line's options and usage (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *synopsis;   /* "lihop NAME ..." */
    const char *summary;    /* one line for the overview */
    const char *options;    /* one line per option */
} cli_cmd;

static const cli_cmd CMDS[] = {
    {"run", "lihop run [CONFIG] [-o OUT.h5] [--backend auto|cpu|cuda] [--threads N] [--resume|--overwrite] [--wide]\n"
            "                [--trajectory K]",
     "run a sweep, print its table, write OUT.h5 (no CONFIG: the built-in quickstart)",
     "  CONFIG                  the YAML deck (none: configs/quickstart.yaml, built in)\n"
     "  -o, --output OUT.h5     results file (default: named after CONFIG, in this directory)\n"
     "  --backend auto|cpu|cuda where the walkers run (default: the deck's backend; auto: the GPU if any)\n"
     "  --threads N             OpenMP threads, 1..4096 (default: OMP_NUM_THREADS or all cores)\n"
     "  --resume                finish the points missing from an existing OUT.h5\n"
     "  --overwrite             replace an existing OUT.h5\n"
     "  --wide                  print every table column (default: the essential ones, within 100 columns)\n"
     "  --trajectory K          after the run, write point K's trajectory as H5MD 1.1 to OUT.pointK.h5md\n"
     "                          (lihop export h5md OUT.h5 --point K with its defaults)\n"
     "  -h, --help              this help\n"},
    {"micro", "lihop micro CONFIG -o OUT.h5",
     "build a voxel deck's microstructure, write it with an XDMF sidecar and its percolation",
     "  CONFIG                  a voxel YAML deck\n"
     "  -o, --output OUT.h5     microstructure file (required; OUT.h5.xdmf is written beside it)\n"
     "  -h, --help              this help\n"},
    {"lattice", "lihop lattice FILE [--cells N1 N2 N3] [-o GRAPH.h5]",
     "build a garnet lattice, report its sites and hops, optionally write the hop graph",
     "  FILE                    a lattice YAML file (lattices/*.yaml)\n"
     "  --cells N1 N2 N3        supercell, three integers 1..64 (default 1 1 1)\n"
     "  -o, --output GRAPH.h5   write the hop graph\n"
     "  -h, --help              this help\n"},
    {"validate", "lihop validate [--check NAME] [--list] [--json] [--threads N]",
     "run the physics checks and print a table (exit 1 when one fails)",
     "  --check NAME            run only this check (see --list)\n"
     "  --list                  list the checks and exit\n"
     "  --json                  one JSON document instead of the table\n"
     "  --threads N             OpenMP threads, 1..4096 (default: OMP_NUM_THREADS or all cores)\n"
     "  -h, --help              this help\n"},
    {"export", "lihop export csv RESULTS.h5 [-o OUT.csv]\n"
               "       lihop export bpx RESULTS.h5 --base CELL.json -o OUT.json [--line N]\n"
               "       lihop export h5md RESULTS.h5 --point K -o OUT.h5md [--species NAME] [--walkers N] [--replica R]\n"
               "                         [--frames F] [--verify]",
     "write a results file's /summary as CSV, a BPX 1.1 cell file with lihop's electrolyte, or an H5MD trajectory",
     "  csv                     the format: one header line \"name [unit]\", one line per point,\n"
     "                          17 significant digits, NaN as nan\n"
     "  RESULTS.h5              a `lihop run` results file (bpx: a finished voxel sweep with /fits)\n"
     "  -o, --output OUT        write here (csv: instead of to stdout; bpx, h5md: required, written atomically)\n"
     "  bpx                     a BPX 1.1 JSON cell file (PyBaMM): the base cell with its Electrolyte from\n"
     "                          the results' fits at the base's reference temperature\n"
     "  --base CELL.json        bpx: the BPX 1.x cell (electrodes, separator, cell, state), e.g.\n"
     "                          configs/bpx/nmc_pouch_cell_BPX.json\n"
     "  --line N                bpx: the sweep line of /fits to export (required when there are several)\n"
     "  h5md                    H5MD 1.1 trajectory of a finished point, replayed from the file's deck\n"
     "                          and seed (MDAnalysis, kinisi): voxel walkers of one species, or the Li\n"
     "                          ions of one garnet replica; -o OUT.h5md required\n"
     "  --point K               the point (its id in /points, the /summary column 'point'; required)\n"
     "  --species NAME          voxel: one species per file (default: the transference species)\n"
     "  --walkers N             voxel: walkers 0..N-1 of the point (default: 1000 or all; all: also\n"
     "                          checks that the replay reproduces the stored D bit for bit)\n"
     "  --replica R             garnet: the replica whose Li ions are written (default 0)\n"
     "  --frames F              frames at t = k t_end / (F - 1), k = 0..F-1 (voxel 2..100000, default\n"
     "                          201; garnet 2..65, default 65)\n"
     "  --verify                replay the whole point too: voxel every walker (stored D bit for bit),\n"
     "                          garnet every replica (stored hops)\n"
     "  --threads N             OpenMP threads of the replay, 1..4096 (results do not depend on it)\n"
     "  --author NAME           /h5md/author name (default: $USER)\n"
     "  --force                 write even if a particle moves half the box or more between frames\n"
     "                          (refused by default: minimum-image unwrapping would lose it)\n"
     "  -h, --help              this help\n"},
    {"handoff", "lihop handoff BULK.h5 [BICRYSTAL.h5] [-o OUT.yaml]",
     "print the voxel phase (and interface ASR) YAML that garnet results give (from_garnet)",
     "  BULK.h5                 garnet bulk results (lihop run of a garnet deck, >= 3 temperatures)\n"
     "  BICRYSTAL.h5            garnet bicrystal results at >= 3 temperatures (the boundary ASR law)\n"
     "  -o, --output OUT.yaml   write here instead of to stdout\n"
     "  -h, --help              this help\n"},
    {"help", "lihop help [CMD]", "this overview, or CMD's options", "  CMD                     run, micro, lattice, validate, export or handoff\n"},
};
#define NCMDS ((int)(sizeof CMDS / sizeof CMDS[0]))

static const cli_cmd *find(const char *name)
{
    for (int i = 0; name && i < NCMDS; i++)
        if (!strcmp(CMDS[i].name, name))
            return &CMDS[i];
    return NULL;
}

void lihop_cli_usage(FILE *fp)
{
    fprintf(fp, "usage:\n");
    for (int i = 0; i < NCMDS; i++)
        fprintf(fp, "  %s\n      %s\n", CMDS[i].synopsis, CMDS[i].summary);
    fprintf(fp, "  lihop --version\n"
                "Options take their value as '--opt value' or '--opt=value'; 'lihop help CMD' or\n"
                "'lihop CMD --help' lists CMD's options.\n"
                "exit codes: 0 ok, 1 internal error or failed check, 2 bad input, 3 I/O error,\n"
                "4 GPU requested but unavailable, 5 out of memory, 130 interrupted\n");
}

int lihop_cli_cmd_usage(FILE *fp, const char *cmd)
{
    const cli_cmd *c = find(cmd);
    if (!c)
        return -1;
    fprintf(fp, "usage: %s\n%s\noptions:\n%s", c->synopsis, c->summary, c->options);
    return 0;
}

int lihop_cli_error(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (cmd && find(cmd)) {
        fprintf(stderr, "lihop: error: %s: %s\n", cmd, msg);
        lihop_cli_cmd_usage(stderr, cmd);
    } else {
        fprintf(stderr, "lihop: error: %s\n", msg);
        lihop_cli_usage(stderr);
    }
    return 2;
}

void lihop_cli_begin(void)
{
    optind = 0;   /* glibc: 0 re-initialises getopt for a new argv */
    opterr = 0;   /* we print the errors ourselves, in one line */
}

static const struct option *with_help(const struct option *longopts, struct option *buf, int cap)
{
    int n = 0;
    for (; longopts && longopts[n].name && n < cap - 2; n++)
        buf[n] = longopts[n];
    buf[n++] = (struct option){"help", no_argument, NULL, 'h'};
    buf[n] = (struct option){NULL, 0, NULL, 0};
    return buf;
}

/* The message for getopt's '?' or ':' (the bad word is argv[optind - 1]). */
static int report(const char *cmd, int c, char **argv)
{
    const char *word = optind > 0 ? argv[optind - 1] : "";
    int is_long = !strncmp(word, "--", 2);
    if (c == ':') {
        if (is_long)
            return lihop_cli_error(cmd, "option '%s' needs a value", word);
        return lihop_cli_error(cmd, "option '-%c' needs a value", optopt);
    }
    if (is_long && optopt && strchr(word, '='))
        return lihop_cli_error(cmd, "option '%.*s' takes no value", (int)strcspn(word, "="), word);
    if (is_long)
        return lihop_cli_error(cmd, "unknown option '%.*s'", (int)strcspn(word, "="), word);
    return lihop_cli_error(cmd, "unknown option '-%c'", optopt ? optopt : '?');
}

int lihop_cli_next(const char *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts)
{
    char shorts[64];
    struct option longs[32];
    snprintf(shorts, sizeof shorts, ":%sh", shortopts ? shortopts : "");
    int c = getopt_long(argc, argv, shorts, with_help(longopts, longs, 32), NULL);
    if (c == '?' || c == ':') {
        report(cmd, c, argv);
        return LIHOP_CLI_BAD;
    }
    return c;
}

int lihop_cli_threads(const char *cmd, const char *value, int *threads)
{
    char *end;
    errno = 0;
    long t = strtol(value, &end, 10);
    if (end == value || *end || errno || t < 1 || t > 4096)
        return lihop_cli_error(cmd, "--threads expects an integer 1..4096, got '%s'", value);
    *threads = (int)t;
    return 0;
}
