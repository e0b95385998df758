/* Symbol visibility for the public API. Everything else is hidden. */
#ifndef VBSIG_EXPORT_H
#define VBSIG_EXPORT_H

#if defined(VBSIG_BUILDING_LIBRARY) && defined(__GNUC__)
#define VBSIG_API __attribute__((visibility("default")))
#else
#define VBSIG_API
#endif

#endif
