# The soname of a library pkg-config found, read from the library file that
# the build would have linked (objdump -p). Libraries that vbsig loads on
# first use are opened by this name, so a distribution that moves to a new
# ABI (libxml2 2.14: libxml2.so.2 -> libxml2.so.16) gets the right file
# from the same source, and a build against headers whose library cannot be
# found fails here rather than at run time.
#
#   vbsig_soname(<out-var> <pkg-prefix> <library-basename>)
# e.g. vbsig_soname(VBSIG_SONAME_XML2 LIBXML2 xml2) after
# pkg_check_modules(LIBXML2 ... libxml-2.0).
find_program(VBSIG_OBJDUMP NAMES objdump ${CMAKE_OBJDUMP} REQUIRED)

function(vbsig_soname out prefix base)
  set(file "")
  foreach(candidate IN LISTS ${prefix}_LINK_LIBRARIES)
    get_filename_component(name "${candidate}" NAME)
    if(name MATCHES "^lib${base}\\.so")
      set(file "${candidate}")
      break()
    endif()
  endforeach()
  if(file STREQUAL "")
    message(FATAL_ERROR "vbsig: no shared library lib${base}.so among ${prefix}_LINK_LIBRARIES (${${prefix}_LINK_LIBRARIES})")
  endif()
  execute_process(COMMAND ${VBSIG_OBJDUMP} -p "${file}" OUTPUT_VARIABLE dump RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0 OR NOT dump MATCHES "SONAME[ \t]+([^ \t\r\n]+)")
    message(FATAL_ERROR "vbsig: cannot read the SONAME of ${file}")
  endif()
  set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  message(STATUS "vbsig: lib${base} is loaded on first use as ${CMAKE_MATCH_1}")
endfunction()
