/* jansson, loaded when a JSON report is first written (jansson_dl.c).
 * Linked, it is one more shared object to find, map and bind at every
 * start of the command (about 0.05 ms of a 3.5 ms verification) although
 * only runs asked for JSON use it. Include this instead of <jansson.h>: the
 * names below are redirected before the header declares them, so the
 * header's own inline helpers (json_decref → json_delete, json_boolean →
 * json_true / json_false) reach the loaded library too. */
#ifndef VBSIG_JANSSON_DL_H
#define VBSIG_JANSSON_DL_H

#define json_object vbsig_dl_json_object
#define json_array vbsig_dl_json_array
#define json_string vbsig_dl_json_string
#define json_integer vbsig_dl_json_integer
#define json_true vbsig_dl_json_true
#define json_false vbsig_dl_json_false
#define json_null vbsig_dl_json_null
#define json_object_set_new vbsig_dl_json_object_set_new
#define json_array_append_new vbsig_dl_json_array_append_new
#define json_dumps vbsig_dl_json_dumps
#define json_delete vbsig_dl_json_delete
#include <jansson.h>

/* 1 when jansson is loaded (loading it now if need be); 0 with the error
 * set (VBSIG_E_UNAVAILABLE, naming the library and the reason). */
int vbsig_dl_json_available(void);

#endif
