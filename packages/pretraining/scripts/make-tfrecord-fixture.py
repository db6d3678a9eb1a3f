#!/usr/bin/python3
"""Writes test/fixtures/python-written.tfrecord with implementations independent of ours: Google's
protobuf runtime (Debian python3-protobuf 3.21, message classes built from the tf.train.Example schema of
tensorflow/core/example/{feature,example}.proto) and crcmod's predefined 'crc-32c', framed as TensorFlow's
record_writer.cc does. The features follow create_pretraining_data.py's write_instance_to_example_files
(same names, order, types and padding). Also writes the expected values as JSON.
Run with Debian's python: /usr/bin/python3 scripts/make-tfrecord-fixture.py"""
import json
import os
import struct

import crcmod.predefined
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")

fdp = descriptor_pb2.FileDescriptorProto(name="example.proto", package="tensorflow", syntax="proto3")
F = descriptor_pb2.FieldDescriptorProto


def message(name, fields, nested=()):
    m = fdp.message_type.add(name=name)
    for fname, number, ftype, label, type_name, packed, oneof in fields:
        f = m.field.add(name=fname, number=number, type=ftype, label=label)
        if type_name:
            f.type_name = type_name
        if packed:
            f.options.packed = True
        if oneof is not None:
            f.oneof_index = oneof
    return m


R, O = F.LABEL_REPEATED, F.LABEL_OPTIONAL
message("BytesList", [("value", 1, F.TYPE_BYTES, R, None, False, None)])
message("FloatList", [("value", 1, F.TYPE_FLOAT, R, None, True, None)])
message("Int64List", [("value", 1, F.TYPE_INT64, R, None, True, None)])
feature = message(
    "Feature",
    [
        ("bytes_list", 1, F.TYPE_MESSAGE, O, ".tensorflow.BytesList", False, 0),
        ("float_list", 2, F.TYPE_MESSAGE, O, ".tensorflow.FloatList", False, 0),
        ("int64_list", 3, F.TYPE_MESSAGE, O, ".tensorflow.Int64List", False, 0),
    ],
)
feature.oneof_decl.add(name="kind")
features = message("Features", [("feature", 1, F.TYPE_MESSAGE, R, ".tensorflow.Features.FeatureEntry", False, None)])
entry = features.nested_type.add(name="FeatureEntry")
entry.options.map_entry = True
entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=O)
entry.field.add(name="value", number=2, type=F.TYPE_MESSAGE, label=O, type_name=".tensorflow.Feature")
message("Example", [("features", 1, F.TYPE_MESSAGE, O, ".tensorflow.Features", False, None)])

pool = descriptor_pool.DescriptorPool()
pool.Add(fdp)
Example = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("tensorflow.Example"))

crc = crcmod.predefined.mkPredefinedCrcFun("crc-32c")


def masked(data):
    c = crc(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


MAX_SEQ, MAX_PRED = 16, 4
instances = [
    # (input_ids, segment_ids, token_boundary, masked positions, masked ids, sentence order label)
    ([2, 14, 4, 16, 3, 32, 23, 4, 9, 3], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 7], [19846, 343], 0),
    ([2, 4, 4, 3, 5387, 18, 3], [0, 0, 0, 0, 1, 1, 1], [1, 1, 0, 1, 0, 0, 1], [1, 2], [22100, 106], 1),
    ([2] + list(range(100, 113)) + [3, 3], [0] * 15 + [1], [1] * 16, [3, 4, 5, 6], [103, 104, 29999, 0], 1),
]
expected = []
with open(os.path.join(HERE, "python-written.tfrecord"), "wb") as out:
    for ids, seg, boundary, pos, mids, label in instances:
        n = len(ids)
        pad = MAX_SEQ - n
        ex = Example()
        f = ex.features.feature
        # Insertion order as create_pretraining_data.py's OrderedDict.
        f["input_ids"].int64_list.value.extend(ids + [0] * pad)
        f["input_mask"].int64_list.value.extend([1] * n + [0] * pad)
        f["segment_ids"].int64_list.value.extend(seg + [0] * pad)
        f["token_boundary"].int64_list.value.extend(boundary + [0] * pad)
        f["masked_lm_positions"].int64_list.value.extend(pos + [0] * (MAX_PRED - len(pos)))
        f["masked_lm_ids"].int64_list.value.extend(mids + [0] * (MAX_PRED - len(mids)))
        f["masked_lm_weights"].float_list.value.extend([1.0] * len(pos) + [0.0] * (MAX_PRED - len(pos)))
        f["next_sentence_labels"].int64_list.value.extend([label])
        data = ex.SerializeToString()
        header = struct.pack("<Q", len(data))
        out.write(header + struct.pack("<I", masked(header)) + data + struct.pack("<I", masked(data)))
        expected.append(
            {
                "inputIds": ids,
                "tokenTypeIds": seg,
                "tokenBoundary": boundary,
                "maskedPositions": pos,
                "maskedIds": mids,
                "sentenceOrderLabel": label,
                "exampleBytesHex": data.hex(),
            }
        )
with open(os.path.join(HERE, "python-written.tfrecord.json"), "w") as out:
    json.dump({"maxSeqLength": MAX_SEQ, "maxPredictionsPerSeq": MAX_PRED, "examples": expected}, out, indent=1)
