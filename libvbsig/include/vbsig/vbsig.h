/* vbsig — digital signatures and PKI validation for official documents.
 * Include this one header for the whole public API. */
#ifndef VBSIG_H
#define VBSIG_H

#include "vbsig/status.h"
#include "vbsig/buf.h"
#include "vbsig/file.h"
#include "vbsig/ctx.h"
#include "vbsig/signer.h"
#include "vbsig/report.h"
#include "vbsig/level.h"
#include "vbsig/secret.h"
#include "vbsig/cades.h"
#include "vbsig/pades.h"
#include "vbsig/tsp.h"
#include "vbsig/tsp_issue.h"
#include "vbsig/xades.h"
#include "vbsig/sign.h"
#include "vbsig/batch.h"
#include "vbsig/verify.h"

#endif
