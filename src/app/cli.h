/* cli.h - option handling of the lihop command line (cli.c): the usage text
 * of every subcommand, getopt_long with one error line then that command's
 * usage on a wrong call (exit 2), and the shared option values (--threads). */
#ifndef LIHOP_CLI_H
#define LIHOP_CLI_H

#include <getopt.h>
#include <stdio.h>

/* Returned by lihop_cli_next after it printed the error and the usage. */
#define LIHOP_CLI_BAD (-2)

/* The overview: every command's synopsis, `lihop help CMD`, the exit codes. */
void lihop_cli_usage(FILE *fp);
/* CMD's usage with every option; 0, or -1 for an unknown command. */
int lihop_cli_cmd_usage(FILE *fp, const char *cmd);

/* "lihop: error: CMD: <message>" on stderr, then CMD's usage (the overview
 * when cmd is NULL); returns 2, the exit code of a wrong call. */
int lihop_cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Start parsing argv (argv[0]: the command's name) for a new command. */
void lihop_cli_begin(void);
/* getopt_long over argv with shortopts (without the leading ':', -h is added)
 * and longopts (--help is added); 'h' for -h/--help, -1 at the end, or
 * LIHOP_CLI_BAD after reporting an unknown option or a missing value. */
int lihop_cli_next(const char *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts);

/* --threads VALUE: an integer 1..4096 in *threads, else the error (returns 2). */
int lihop_cli_threads(const char *cmd, const char *value, int *threads);

#endif
