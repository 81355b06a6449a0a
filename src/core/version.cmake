# version.cmake - run at every build (target lihop_version): writes the version
# header from `git describe`, touching it only when the text changes, so that
# binaries and result files carry the commit they were built from, not the one
# CMake was configured at.  Inputs: SRC_DIR, IN (template), OUT, PROJECT_VERSION.
execute_process(COMMAND git describe --always --dirty --tags
                WORKING_DIRECTORY ${SRC_DIR}
                OUTPUT_VARIABLE LIHOP_GIT_DESCRIBE OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT LIHOP_GIT_DESCRIBE)
  set(LIHOP_GIT_DESCRIBE "unknown")
endif()
configure_file(${IN} ${OUT} @ONLY)
