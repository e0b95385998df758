# vbsig_hidden_static_object(<out-var> <object-library>)
#
# The installed static libraries must not hand their internal functions to
# the programs that link them: a program that also links another PDF or CMS
# library would meet our pdf_lookup or cms_der_read. -fvisibility=hidden
# only hides symbols from a shared object's dynamic table, not from an
# archive, so the objects are first joined into one relocatable object
# (ld -r resolves every internal call among them), and objcopy then makes
# every hidden symbol local. What stays global is exactly what VBSIG_API
# marks, the same set libvbsig.so exports. The archive then holds that one
# object. Sets <out-var> to the path of the object, to give to add_library.
find_program(VBSIG_OBJCOPY NAMES objcopy ${CMAKE_OBJCOPY} REQUIRED)
set(VBSIG_LD ${CMAKE_LINKER})
if(NOT VBSIG_LD)
  find_program(VBSIG_LD NAMES ld REQUIRED)
endif()

function(vbsig_hidden_static_object out objlib)
  set(joined ${CMAKE_CURRENT_BINARY_DIR}/${objlib}_joined.o)
  set(result ${CMAKE_CURRENT_BINARY_DIR}/${objlib}_public.o)
  add_custom_command(OUTPUT ${result}
    COMMAND ${VBSIG_LD} -r -o ${joined} $<TARGET_OBJECTS:${objlib}>
    COMMAND ${VBSIG_OBJCOPY} --localize-hidden ${joined} ${result}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${joined}
    DEPENDS ${objlib} $<TARGET_OBJECTS:${objlib}>
    COMMAND_EXPAND_LISTS VERBATIM
    COMMENT "Joining ${objlib} into one object with only the public symbols global")
  set_source_files_properties(${result} PROPERTIES GENERATED TRUE EXTERNAL_OBJECT TRUE)
  set(${out} ${result} PARENT_SCOPE)
endfunction()
