/* Decoders from Tetragon's wire formats into the one event model (event.h). */
#ifndef WT_DECODE_H
#define WT_DECODE_H

#ifdef __cplusplus
extern "C" {
#endif

#include "event.h"

/* Bytes of readable padding a line buffer must have past its length (simdjson's). */
#define WT_JSON_PADDING 64

struct wt_json_decoder;

struct wt_json_decoder *wt_json_decoder_new(void);
void wt_json_decoder_free(struct wt_json_decoder *d);

/* Decode one Tetragon JSON export line (GetEventsResponse in protojson form) into b.
 * line[len .. len + WT_JSON_PADDING) must be readable. Returns:
 *   WT_OK            event decoded (time may be 0 when the line had none)
 *   WT_E_UNKNOWN_KIND a well-formed line of a kind Worktrace does not know; the kind's name
 *                    is written to err
 *   WT_E_PARSE       malformed line; a one-line reason is written to err */
enum wt_err wt_json_decode(struct wt_json_decoder *d, const char *line, size_t len,
			   struct wt_event_builder *b, char *err, size_t errlen);

struct wt_proto_decoder;

struct wt_proto_decoder *wt_proto_decoder_new(void);
void wt_proto_decoder_free(struct wt_proto_decoder *d);

/* Decode one protobuf GetEventsResponse (a message of the gRPC GetEvents stream) into b,
 * filling the same fields as wt_json_decode does from the same event's JSON export line.
 * Returns WT_OK, WT_E_UNKNOWN_KIND (kind named in err: process_loader, process_usdt, or a
 * field number this build does not declare) or WT_E_PARSE (reason in err). */
enum wt_err wt_proto_decode(struct wt_proto_decoder *d, const uint8_t *msg, size_t len,
			    struct wt_event_builder *b, char *err, size_t errlen);

/* Read one length-delimited message (varint length, then the bytes: protobuf's delimited
 * form, as test and bench files of GetEventsResponse messages hold them) into *buf (grown
 * as needed, *cap its size). WT_OK with *len; WT_E_CLOSED at the end of the file;
 * WT_E_PARSE on a truncated or oversized (> 64 MiB) record. */
#include <stdio.h>
enum wt_err wt_proto_read_delimited(FILE *f, uint8_t **buf, size_t *cap, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
