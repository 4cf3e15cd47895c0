#!/usr/bin/python3
# A test Tetragon: serves tetragon.FineGuidanceSensors/GetEvents (Debian's python3-grpcio)
# from Tetragon JSON export captures. Each line is parsed as protojson of GetEventsResponse
# into the project's own proto/ (compiled here with protoc --python_out into --gen-dir; never
# committed), serialized once, and streamed as pre-serialized bytes by a generic handler.
# Lines that are not JSON or carry no event kind the proto knows are not sent (--sent gets
# exactly the lines that are, --export the served messages as Tetragon's JSON export).
# --gzip compresses the stream. Controls: --skip N, --stall-after N, --exit-after N, --loop,
# --rate; it listens on a unix socket or a free 127.0.0.1 port and writes its address file
# once it serves (ADDRESS EVENTS SKIPPED), and ADDR_FILE.stalled when it stalls.
import argparse
import os
import signal
import subprocess
import sys
import threading
import time


def load_proto(proto_dir, gen_dir, include):
    if not os.path.exists(os.path.join(gen_dir, "tetragon_pb2.py")):
        os.makedirs(gen_dir, exist_ok=True)
        tmp = gen_dir + ".tmp%d" % os.getpid()
        os.makedirs(tmp, exist_ok=True)
        subprocess.run(["protoc", "--python_out=" + tmp, "-I" + proto_dir, "-I" + include,
                        os.path.join(proto_dir, "tetragon.proto")], check=True)
        os.replace(os.path.join(tmp, "tetragon_pb2.py"), os.path.join(gen_dir, "tetragon_pb2.py"))
        os.rmdir(tmp)
    sys.path.insert(0, gen_dir)
    import tetragon_pb2
    return tetragon_pb2


def convert(pb, files, sent_path, export_path):
    from google.protobuf import json_format
    msgs, skipped = [], 0
    sent = open(sent_path, "w") if sent_path else None
    export = open(export_path, "w") if export_path else None
    for path in files:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for line in f:
                if not line.strip():
                    continue
                m = pb.GetEventsResponse()
                try:
                    json_format.Parse(line, m, ignore_unknown_fields=True)
                except Exception:
                    skipped += 1
                    continue
                if m.WhichOneof("event") is None:
                    skipped += 1
                    continue
                msgs.append(m.SerializeToString())
                if sent:
                    sent.write(line if line.endswith("\n") else line + "\n")
                if export:
                    export.write(json_format.MessageToJson(m, preserving_proto_field_name=True, indent=None) + "\n")
    for f in (sent, export):
        if f:
            f.close()
    return msgs, skipped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proto-dir", required=True)
    ap.add_argument("--gen-dir", required=True)
    ap.add_argument("--proto-include", default="/usr/include")
    ap.add_argument("--listen", default="tcp", help="tcp (a free 127.0.0.1 port), HOST:PORT, or unix:PATH")
    ap.add_argument("--addr-file", help="written with the address once serving")
    ap.add_argument("--dump", help="write the served messages (varint length, bytes) to this file")
    ap.add_argument("--no-serve", action="store_true", help="convert (--sent, --dump) and exit")
    ap.add_argument("--sent", help="write the JSON lines that are served")
    ap.add_argument("--export", help="write the served messages as Tetragon's JSON export would (protojson)")
    ap.add_argument("--request-file", help="write each GetEventsRequest received (protojson, one a line)")
    ap.add_argument("--skip", type=int, default=0, help="start at this event")
    ap.add_argument("--stall-after", type=int, default=-1, help="after N events of a call, send nothing more")
    ap.add_argument("--exit-after", type=int, default=-1, help="after N events, exit the process at once")
    ap.add_argument("--loop", action="store_true", help="cycle through the events forever")
    ap.add_argument("--rate", type=float, default=0, help="events per second (0: as fast as possible)")
    ap.add_argument("--gzip", action="store_true", help="compress every message (gRPC gzip encoding)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    import grpc
    from google.protobuf import json_format
    pb = load_proto(a.proto_dir, a.gen_dir, a.proto_include)
    msgs, skipped = convert(pb, a.files, a.sent, a.export)
    if a.dump:
        from google.protobuf.internal.encoder import _VarintBytes
        with open(a.dump, "wb") as f:
            for m in msgs:
                f.write(_VarintBytes(len(m)) + m)
    if a.no_serve:
        print("%d %d" % (len(msgs), skipped))
        return

    def get_events(request, context):
        if a.request_file:
            with open(a.request_file, "a") as f:
                f.write(json_format.MessageToJson(request, indent=None, preserving_proto_field_name=True) + "\n")
        n = 0
        i = a.skip
        start = time.monotonic()
        while context.is_active():
            if i >= len(msgs):
                if not a.loop or not msgs:
                    return
                i = 0
            if n == a.stall_after:
                open(a.addr_file + ".stalled", "w").close()
                while context.is_active():
                    time.sleep(0.05)
                return
            if a.rate > 0:
                ahead = start + n / a.rate - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
            yield msgs[i]
            n += 1
            i += 1
            if n == a.exit_after:
                time.sleep(1)  # the yielded messages are written; then die like a crash
                os._exit(3)

    handler = grpc.method_handlers_generic_handler("tetragon.FineGuidanceSensors", {
        "GetEvents": grpc.unary_stream_rpc_method_handler(
            get_events, request_deserializer=pb.GetEventsRequest.FromString, response_serializer=None),
    })
    from concurrent import futures
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4),
                         compression=grpc.Compression.Gzip if a.gzip else None)
    server.add_generic_rpc_handlers((handler,))
    if a.listen == "tcp":
        port = server.add_insecure_port("127.0.0.1:0")
        addr = "127.0.0.1:%d" % port
    elif a.listen.startswith("unix:"):
        path = a.listen[5:]
        if os.path.exists(path):
            os.unlink(path)
        server.add_insecure_port(a.listen)
        addr = a.listen
    else:
        if server.add_insecure_port(a.listen) == 0:
            sys.exit("cannot listen on " + a.listen)
        addr = a.listen
    server.start()
    tmp = a.addr_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%s %d %d\n" % (addr, len(msgs), skipped))
    os.rename(tmp, a.addr_file)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    server.stop(0)


if __name__ == "__main__":
    main()
