# Every tests/test_*.c is a Check suite (label unit); tests/gpu_*.c are GPU
# tests (label gpu) that exit 77 (skipped) without a device.  Physics checks run
# through `lihop validate --check NAME` (label validation).
file(GLOB LIHOP_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/test_*.c)
foreach(src ${LIHOP_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  target_link_libraries(${name} PRIVATE lihop_core PkgConfig::CHECK)
  if(LIHOP_HAVE_CUDA)
    set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CUDA)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit
                       ENVIRONMENT "LIHOP_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
                       WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
endforeach()

file(GLOB LIHOP_GPU_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/gpu_*.c)
foreach(src ${LIHOP_GPU_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  target_link_libraries(${name} PRIVATE lihop_core)
  if(LIHOP_HAVE_CUDA)
    set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CUDA)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS gpu SKIP_RETURN_CODE 77)
endforeach()

# Physics validation: one ctest per check of `lihop validate`.
set(LIHOP_VALIDATION_CHECKS "" CACHE INTERNAL "")
if(EXISTS ${CMAKE_SOURCE_DIR}/tests/validation_checks.txt)
  file(STRINGS ${CMAKE_SOURCE_DIR}/tests/validation_checks.txt LIHOP_VALIDATION_CHECKS REGEX "^[a-z0-9_]+$")
endif()
foreach(check ${LIHOP_VALIDATION_CHECKS})
  add_test(NAME validate_${check} COMMAND lihop validate --check ${check})
  set_tests_properties(validate_${check} PROPERTIES LABELS validation)
endforeach()

# The CLI's own behaviour (exit codes, messages, outputs) from shell scripts.
file(GLOB LIHOP_CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli_*.sh)
foreach(src ${LIHOP_CLI_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME ${name} COMMAND bash ${src} $<TARGET_FILE:lihop> ${CMAKE_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES LABELS cli WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
endforeach()
