/* libFuzzer harness of the protobuf event decoder: arbitrary bytes (seeded with messages of
 * every kind converted from the project's captures) are decoded as one GetEventsResponse;
 * an accepted event is finished and every field of fields.def, every argument and every pod
 * label is read back, as the pipelines would. */
#include "decode.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wt_proto_decoder *d;
	static struct wt_event_builder b;
	if (!d) {
		d = wt_proto_decoder_new();
		wt_event_builder_init(&b);
	}
	char err[256];
	if (wt_proto_decode(d, data, size, &b, err, sizeof err) != WT_OK)
		return 0;
	struct wt_event *ev = wt_event_finish(&b, 1);
	volatile size_t sum = 0;
	for (int f = 0; f < WT_F_COUNT; f++) {
		struct wt_value v;
		if (wt_fields[f].sel == WT_FSEL_NONE) {
			wt_event_get(ev, (enum wt_field_id)f, &v);
			if (v.present && (v.type == WT_T_STR || v.type == WT_T_ADDR))
				sum += v.len ? (unsigned char)v.s[v.len - 1] : 0;
			for (uint32_t i = 0; v.present && (v.type == WT_T_STRLIST || v.type == WT_T_INTLIST) && i < v.n; i++) {
				struct wt_value e;
				wt_event_list_elem(ev, &v, i, &e);
				sum += e.len;
			}
		} else if (wt_fields[f].sel == WT_FSEL_ARG) {
			for (uint32_t i = 0; i < ev->n_args; i++) {
				wt_event_get_sel(ev, (enum wt_field_id)f, WT_SEL_INDEX, i, NULL, 0, &v);
				sum += v.len;
			}
		} else {
			for (uint32_t i = 0; i < ev->pod.n_labels; i++) {
				const char *k = wt_event_str(ev, ev->pod.label_key[i]);
				wt_event_get_sel(ev, (enum wt_field_id)f, WT_SEL_LABEL, 0, k, ev->pod.label_key[i].len, &v);
				sum += v.len + strlen(k);
			}
		}
	}
	wt_event_release(ev);
	return 0;
}
