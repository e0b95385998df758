# ctest driver for one harness: cmake -DFUZZER=… -DSEEDS=… -DWORK=…
#   -DARTIFACTS=… -DSECONDS=… -P run-fuzzer.cmake
# libFuzzer adds what it finds to the first corpus directory it is given, so
# it gets a fresh copy of the seeds and the committed ones stay untouched.
foreach(var FUZZER SEEDS WORK ARTIFACTS SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run-fuzzer.cmake: -D${var}=… is missing")
  endif()
endforeach()

# The fuzzer runs from WORK, so paths given relative to where this script
# was started must not reach it unresolved.
foreach(var FUZZER SEEDS WORK ARTIFACTS)
  get_filename_component(${var} ${${var}} ABSOLUTE)
endforeach()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus ${ARTIFACTS})
if(IS_DIRECTORY ${SEEDS})
  file(COPY ${SEEDS}/ DESTINATION ${WORK}/corpus)
endif()

# Crash, leak and timeout inputs go to ARTIFACTS, which is kept across runs
# so a finding survives the next ctest.
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -rss_limit_mb=2048 -timeout=10
          -artifact_prefix=${ARTIFACTS}/ ${WORK}/corpus
  WORKING_DIRECTORY ${WORK}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); the input that triggered it is in ${ARTIFACTS}/")
endif()
