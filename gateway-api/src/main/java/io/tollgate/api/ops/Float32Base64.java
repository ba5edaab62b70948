package io.tollgate.api.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * How a vector crosses the clustered event bus: base64 of its little-endian float32 bytes (about
 * 5.3 bytes a float instead of up to 15 as JSON text, and exact), so a batch of large embeddings
 * stays a fraction of the size of its JSON. Locally nothing is encoded: records are handed over.
 */
public final class Float32Base64 {

  private Float32Base64() {
  }

  public static String encode(float[] v) {
    ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  public static float[] decode(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.remaining() % Float.BYTES != 0) {
      throw new IllegalArgumentException("base64 vector is not whole float32 values");
    }
    float[] v = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(v);
    return v;
  }

  /** Writes a vector as its base64 string. */
  public static final class Serializer extends StdSerializer<float[]> {
    public Serializer() {
      super(float[].class);
    }

    @Override
    public void serialize(float[] value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(encode(value));
    }
  }

  /** Reads a vector from its base64 string. */
  public static final class Deserializer extends StdDeserializer<float[]> {
    public Deserializer() {
      super(float[].class);
    }

    @Override
    public float[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      try {
        return decode(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        return (float[]) ctxt.handleWeirdStringValue(float[].class, p.getValueAsString(), e.getMessage());
      }
    }
  }
}
