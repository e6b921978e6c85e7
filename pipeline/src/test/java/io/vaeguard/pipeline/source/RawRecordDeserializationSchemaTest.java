package io.vaeguard.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.FlinkTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RawRecordDeserializationSchemaTest {

  private static final class ListCollector<T> implements Collector<T> {
    final List<T> items = new ArrayList<>();

    @Override
    public void collect(T record) {
      items.add(record);
    }

    @Override
    public void close() {}
  }

  @Test
  void passesBytesAndPositionThroughWithoutThrowing() throws Exception {
    var schema = new RawRecordDeserializationSchema();
    var out = new ListCollector<RawRecord>();
    byte[] junk = {0x00, (byte) 0xFF, 0x13};
    schema.deserialize(new ConsumerRecord<>("obs", 3, 17L, "k".getBytes(), junk), out);
    schema.deserialize(
        new ConsumerRecord<byte[], byte[]>("obs", 3, 18L, null, null), out); // tombstone
    assertThat(out.items).hasSize(2);
    RawRecord r = out.items.get(0);
    assertThat(r.value()).isEqualTo(junk);
    assertThat(r.topic()).isEqualTo("obs");
    assertThat(r.partition()).isEqualTo(3);
    assertThat(r.offset()).isEqualTo(17L);
    assertThat(out.items.get(1).value()).isNull();
    assertThat(schema.getProducedType()).isSameAs(RawRecord.TYPE);
  }

  @Test
  void flinkSerializesItAsAPojo() throws Exception {
    assertThat(TypeInformation.of(RawRecord.class)).isSameAs(RawRecord.TYPE);
    RawRecord r = new RawRecord(new byte[] {1, 2}, "t", 0, 5, 6);
    assertThat(FlinkTypes.roundTrip(RawRecord.TYPE, r)).isEqualTo(r);
    RawRecord tombstone = new RawRecord(null, "t", 0, 5, 6);
    assertThat(FlinkTypes.roundTrip(RawRecord.TYPE, tombstone)).isEqualTo(tombstone);
  }
}
