# lib_notebook.sh - shared helper of the notebook and Python-reader tests, sourced.
#   notebook_python MODULES: set PY to Debian's /usr/bin/python3 (LIHOP_PYTHON
#   overrides; a python3 earlier on PATH, such as a pyenv, may lack the Debian
#   packages) and exit 77 (skipped) when it cannot import MODULES (comma list).
#   Sets MPLBACKEND=Agg and a private MPLCONFIGDIR under $WORK.
notebook_python() {
    PY=${LIHOP_PYTHON:-/usr/bin/python3}
    [ -x "$PY" ] || PY=$(command -v python3 || true)
    if [ -z "$PY" ] || ! "$PY" -c "import $1" 2>/dev/null; then
        echo "skip: ${PY:-python3} cannot import $1 (Debian: python3-h5py python3-numpy python3-pandas python3-matplotlib, installed by .ci/install-deps)"
        exit 77
    fi
    export MPLBACKEND=Agg MPLCONFIGDIR=$WORK/mpl
}
