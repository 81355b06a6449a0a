# Tests by kind: tests/unit/test_*.c are Check suites (label unit); tests/gpu/gpu_*.c are GPU
# tests (label gpu) that exit 77 (skipped) without a device.  Physics checks run
# through `lihop validate --check NAME` (label validation).
#
# Limits, so that `ctest -j2` holds on a 2-core machine busy with other work:
# - PROCESSORS 2 (and OMP_NUM_THREADS=2 where the thread count is the OpenMP
#   default) for every test that runs 2 threads, so ctest never runs two of
#   them, or one of them and another test, on two cores at once.
# - TIMEOUT: 5x the wall time measured with `ctest -j1` on the 2-core
#   development machine (Release, shared with other builds: load ~4.5),
#   rounded up, at least 30 s; a test not in the table gets 300 s.  The
#   Check suites also time out each test (tcase_set_timeout, ~5x as well).
# LIHOP_TEST_TIMEOUT_SCALE multiplies both (ctest TIMEOUT and, through
# CK_TIMEOUT_MULTIPLIER, Check's): 10 by default for a Debug build.
if(NOT DEFINED LIHOP_TEST_TIMEOUT_SCALE)
  if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    set(_lihop_scale 10)
  else()
    set(_lihop_scale 1)
  endif()
  set(LIHOP_TEST_TIMEOUT_SCALE ${_lihop_scale} CACHE STRING
      "Integer multiplier of the test timeouts (ctest TIMEOUT and Check's CK_TIMEOUT_MULTIPLIER)")
endif()
# name=seconds (measured, rounded up)
set(LIHOP_TEST_SECONDS
  test_bkl=1 test_config=1 test_config_material=1 test_handoff=1 test_garnet=14 test_garnet_config=1 test_h5out=1 test_lattice=1
  test_fit=1 test_micro_h5=1 test_micro_gen_a=45 test_micro_gen_b=10 test_network=2 test_percolation=1 test_rng=1 test_voxel=1
  validate_voxel_uniform=14 validate_voxel_laminate_parallel=38 validate_voxel_laminate_series=34
  validate_voxel_laminate_asr=26 validate_voxel_maxwell_garnett=16 validate_voxel_hashin_shtrikman=19
  validate_voxel_percolation_below=20 validate_voxel_percolation_above=23 validate_voxel_arrhenius=10
  validate_voxel_transference=17 validate_voxel_detailed_balance=3 validate_voxel_field_drift=6
  validate_network_laminate_exact=1 validate_network_maxwell_garnett=1 validate_voxel_exact_asr_spheres=35
  validate_voxel_short_run_flagged=22 validate_voxel_error_calibration=21 validate_percolation_overlapping_spheres=8
  validate_voxel_single_ion_ends=10 validate_space_charge_mott_schottky=1 validate_space_charge_gouy_chapman=1 validate_space_charge_walk=25 validate_space_charge_occupation=12 validate_generator_fractions=3
  validate_garnet_lattice_counts=1 validate_garnet_single_li_d=1 validate_garnet_single_li_to=1
  validate_garnet_exclusion_fi=2 validate_garnet_tracer_f_monotonic=2 validate_garnet_tracer_f_vacancy=1
  validate_garnet_sc_vacancy_f=3 validate_garnet_octahedral_boltzmann=1 validate_garnet_pair_shells_exact=1
  validate_garnet_ne_vs_drift=2 validate_garnet_bicrystal_space_charge=11 validate_garnet_error_calibration=29
  cli_errors=1 cli_faults=30 cli_fits=2 cli_help=5 cli_garnet=8 cli_handoff=9 cli_lattice=1 cli_micro=1 cli_mpi=15 cli_resume=21 cli_run=2 cli_space_charge=2 cli_sweep=6 cli_tables=6 notebook_microstructure_slices=6
  notebook_voxel_results=4 notebook_garnet_results=5 python_lihop_results=3
  cli_export_bpx=3 interop_bpx_pybamm=4
  notebook_quickstart_tour=4 notebook_filler_fraction=10 notebook_arrhenius_bulk_gb_composite=5 python_ema=1
  cli_export_h5md=5 interop_h5md_kinisi=8 interop_h5md_kinisi_garnet=9)
foreach(pair ${LIHOP_TEST_SECONDS})
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 _n)
  list(GET pair 1 _s)
  set(_lihop_seconds_${_n} ${_s})
endforeach()
# Tests that run 2 OpenMP threads.
set(LIHOP_TWO_THREAD_TESTS test_garnet test_voxel test_micro_gen_a cli_errors cli_faults cli_fits cli_help cli_garnet cli_handoff cli_micro cli_mpi cli_resume cli_run cli_space_charge cli_sweep cli_tables
  notebook_voxel_results notebook_garnet_results python_lihop_results cli_export_bpx interop_bpx_pybamm
  notebook_quickstart_tour notebook_filler_fraction notebook_arrhenius_bulk_gb_composite
  cli_export_h5md interop_h5md_kinisi interop_h5md_kinisi_garnet)

# lihop_test_limits(NAME): TIMEOUT, and PROCESSORS 2 for the 2-thread tests
# (all validation checks run at the OpenMP default, here pinned to 2).
function(lihop_test_limits name)
  if(DEFINED _lihop_seconds_${name})
    math(EXPR t "5 * ${_lihop_seconds_${name}}")
    if(t LESS 30)
      set(t 30)
    endif()
  else()
    set(t 300)
  endif()
  math(EXPR t "${t} * ${LIHOP_TEST_TIMEOUT_SCALE}")
  set_tests_properties(${name} PROPERTIES TIMEOUT ${t})
  if(name IN_LIST LIHOP_TWO_THREAD_TESTS OR name MATCHES "^validate_")
    set_tests_properties(${name} PROPERTIES PROCESSORS 2)
  endif()
endfunction()

# The layer each test links (it sees that layer and the ones below only), so
# every layer is tested alone; unlisted tests link the whole library (app).
set(LIHOP_TEST_LAYERS test_rng=core test_bkl=core test_fit=core test_config=input test_config_material=input test_handoff=input test_lattice=io test_garnet=diag
    test_garnet_config=diag test_voxel=diag test_network=diag test_h5out=io test_micro_h5=io test_micro_gen_a=model test_micro_gen_b=model test_percolation=model gpu_philox=backend
    gpu_voxel_identity=diag gpu_garnet_identity=diag)
foreach(pair ${LIHOP_TEST_LAYERS})
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 _n)
  list(GET pair 1 _l)
  set(_lihop_layer_${_n} ${_l})
endforeach()
function(lihop_test_layer name out)
  if(DEFINED _lihop_layer_${name})
    set(${out} lihop_${_lihop_layer_${name}} PARENT_SCOPE)
  else()
    set(${out} lihop_app PARENT_SCOPE)
  endif()
endfunction()

file(GLOB LIHOP_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(src ${LIHOP_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  lihop_test_layer(${name} layer)
  target_link_libraries(${name} PRIVATE ${layer} PkgConfig::CHECK)
  if(LIHOP_HAVE_CUDA)
    set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CUDA)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set(env "LIHOP_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  if(NOT LIHOP_TEST_TIMEOUT_SCALE EQUAL 1)
    list(APPEND env "CK_TIMEOUT_MULTIPLIER=${LIHOP_TEST_TIMEOUT_SCALE}")
  endif()
  set_tests_properties(${name} PROPERTIES LABELS unit ENVIRONMENT "${env}"
                       WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  lihop_test_limits(${name})
endforeach()

file(GLOB LIHOP_GPU_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/gpu/gpu_*.c)
foreach(src ${LIHOP_GPU_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  lihop_test_layer(${name} layer)
  target_link_libraries(${name} PRIVATE ${layer})
  if(LIHOP_HAVE_CUDA)
    set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CUDA)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS gpu SKIP_RETURN_CODE 77)
endforeach()

# Physics validation: one ctest per check of `lihop validate`.
set(LIHOP_VALIDATION_CHECKS "" CACHE INTERNAL "")
if(EXISTS ${CMAKE_SOURCE_DIR}/tests/validation/checks.txt)
  file(STRINGS ${CMAKE_SOURCE_DIR}/tests/validation/checks.txt LIHOP_VALIDATION_CHECKS REGEX "^[a-z0-9_]+$")
endif()
foreach(check ${LIHOP_VALIDATION_CHECKS})
  add_test(NAME validate_${check} COMMAND lihop validate --check ${check})
  set_tests_properties(validate_${check} PROPERTIES LABELS validation ENVIRONMENT "OMP_NUM_THREADS=2")
  lihop_test_limits(validate_${check})
endforeach()

# The CLI's own behaviour (exit codes, messages, outputs) from shell scripts.
file(GLOB LIHOP_CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/cli_*.sh)
foreach(src ${LIHOP_CLI_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME ${name} COMMAND bash ${src} $<TARGET_FILE:lihop> ${CMAKE_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES LABELS cli WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
                       ENVIRONMENT "OMP_NUM_THREADS=2")
  lihop_test_limits(${name})
endforeach()

# Notebook helpers run headless (exit 77, skipped, without h5py/matplotlib).
add_test(NAME notebook_microstructure_slices
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/notebook/notebook_microstructure_slices.sh $<TARGET_FILE:lihop>
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(notebook_microstructure_slices PROPERTIES LABELS cli SKIP_RETURN_CODE 77
                     WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
lihop_test_limits(notebook_microstructure_slices)
# The notebooks of results files, run headless by tests/notebook/run_notebook.py on
# tiny results they make (tests/data/nb_*.yaml); their figures go to notebook_figures/
# in the build folder. The reader module (notebooks/lihop_results.py) is checked
# against h5dump by tests/python/test_lihop_results.py with Debian's python3.
foreach(_nb voxel_results garnet_results quickstart_tour filler_fraction arrhenius_bulk_gb_composite)
  add_test(NAME notebook_${_nb}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/notebook/notebook_${_nb}.sh $<TARGET_FILE:lihop>
                   ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/notebook_figures)
  set_tests_properties(notebook_${_nb} PROPERTIES LABELS cli SKIP_RETURN_CODE 77
                       WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  lihop_test_limits(notebook_${_nb})
endforeach()
find_program(LIHOP_DEBIAN_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(LIHOP_DEBIAN_PYTHON3)
  add_test(NAME python_lihop_results
           COMMAND ${LIHOP_DEBIAN_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/python/test_lihop_results.py
                   $<TARGET_FILE:lihop> ${CMAKE_SOURCE_DIR})
else()
  add_test(NAME python_lihop_results COMMAND sh -c "echo 'skip: no /usr/bin/python3'; exit 77")
endif()
set_tests_properties(python_lihop_results PROPERTIES LABELS cli SKIP_RETURN_CODE 77
                     WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
lihop_test_limits(python_lihop_results)
# The effective-medium formulas of notebooks/filler_fraction.ipynb (notebooks/ema.py)
# against their known limits (HS bounds, Bruggeman threshold 1/3, MG = HS lower bound, ...).
if(LIHOP_DEBIAN_PYTHON3)
  add_test(NAME python_ema COMMAND ${LIHOP_DEBIAN_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/python/test_ema.py ${CMAKE_SOURCE_DIR})
else()
  add_test(NAME python_ema COMMAND sh -c "echo 'skip: no /usr/bin/python3'; exit 77")
endif()
set_tests_properties(python_ema PROPERTIES LABELS cli SKIP_RETURN_CODE 77)
lihop_test_limits(python_ema)

# Interoperability tests (tests/interop): BPX/PyBaMM and H5MD/MDAnalysis/kinisi run
# with the pinned virtual environment .ci/install-deps builds in .venv-interop/.
# Without it they skip (exit 77) and say how to get it. LIHOP_INTEROP_PYTHON
# points elsewhere if wanted.
set(LIHOP_INTEROP_PYTHON "${CMAKE_SOURCE_DIR}/.venv-interop/bin/python3"
    CACHE FILEPATH "Python of the interoperability tests (bpx, pybamm, MDAnalysis, kinisi)")
function(lihop_interop_test name script)
  add_test(NAME ${name}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/interop/run_interop.sh ${LIHOP_INTEROP_PYTHON}
                   ${CMAKE_SOURCE_DIR}/tests/interop/${script} $<TARGET_FILE:lihop> ${CMAKE_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/interop_${name} ${ARGN})
  set_tests_properties(${name} PROPERTIES LABELS "cli;interop" SKIP_RETURN_CODE 77)
  lihop_test_limits(${name})
endfunction()

# lihop export bpx: the bpx package validates the file, PyBaMM loads it and discharges (README "BPX export")
lihop_interop_test(interop_bpx_pybamm test_bpx_pybamm.py)
# lihop export h5md: MDAnalysis opens the trajectory, kinisi's D agrees with lihop's (README "H5MD trajectory export")
lihop_interop_test(interop_h5md_kinisi test_h5md_kinisi.py voxel)
lihop_interop_test(interop_h5md_kinisi_garnet test_h5md_kinisi.py garnet)
