# Regenerates the shared sample from scratch (the generator refuses a
# non-empty directory, so the old one goes first).
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${GEN} batch --out ${OUT} --seed 1 --files 6 --docs 2
                        --lang mixed --degrade light --compression mixed
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "daftar-gen failed (${rc})")
endif()
