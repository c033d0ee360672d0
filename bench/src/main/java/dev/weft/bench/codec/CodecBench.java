package dev.weft.bench.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.weft.agent.runtime.ForyCodec;
import dev.weft.agent.runtime.PayloadCodec;
import dev.weft.examples.boutique.Boutique;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JavaType;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * Round trips of real boutique calls (encode the arguments, decode them, encode the result, decode it) with each
 * candidate codec; prints µs per round trip (median of timed runs) and bytes (arguments + result).
 *
 * <pre>{@code java -cp ... dev.weft.bench.codec.CodecBench [--full]}</pre>
 */
public final class CodecBench {

    interface Codec {
        String name();

        /** One round trip; returns the bytes of arguments plus result. */
        int roundTrip(Payloads.Case c) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        boolean full = Arrays.asList(args).contains("--full");
        int ops = full ? 200_000 : 20_000;
        int runs = full ? 9 : 5;
        Payloads payloads = new Payloads();
        List<Class<?>> apis =
                new ArrayList<>(Boutique.app(Clock.systemUTC()).factories().keySet());
        ForyCodec fory = new ForyCodec(apis, CodecBench.class.getClassLoader());
        List<Codec> codecs = List.of(foryCodec(fory), kryoCodec(fory.registeredTypes()), smileCodec(), protobufCodec());
        System.out.printf(
                Locale.ROOT,
                "codec bench: %d round trips per run, %d timed runs after warm-up (median), JDK %s," + " %d cpu(s)%n%n",
                ops,
                runs,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| call | codec | µs per round trip (median) | bytes (args + result) |");
        System.out.println("|---|---|---:|---:|");
        for (Payloads.Case c : payloads.cases) {
            for (Codec codec : codecs) {
                int bytes = codec.roundTrip(c);
                for (int i = 0; i < ops * 2; i++) {
                    codec.roundTrip(c); // warm-up
                }
                double[] micros = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < ops; i++) {
                        codec.roundTrip(c);
                    }
                    micros[r] = (System.nanoTime() - start) / 1e3 / ops;
                }
                Arrays.sort(micros);
                System.out.printf(
                        Locale.ROOT, "| %s | %s | %.3f | %d |%n", c.name(), codec.name(), micros[runs / 2], bytes);
            }
        }
        payloads.shop.close();
    }

    static Codec foryCodec(PayloadCodec fory) {
        return new Codec() {
            @Override
            public String name() {
                return "Apache Fory 0.13 (Weft's)";
            }

            @Override
            public int roundTrip(Payloads.Case c) {
                byte[] a = fory.encodeArgs(c.args());
                Object[] args = (Object[]) fory.decodeArgs(a);
                byte[] r = fory.encodeResult(c.result());
                Object result = java.util.Objects.requireNonNull(fory.decodeResult(r));
                check(c, args, result);
                return a.length + r.length;
            }
        };
    }

    static Codec kryoCodec(List<Class<?>> types) {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.register(Object[].class);
        kryo.register(ArrayList.class);
        Serializer<List<?>> immutable = new Serializer<>() {
            @Override
            public void write(Kryo k, Output output, List<?> list) {
                output.writeVarInt(list.size(), true);
                for (Object o : list) {
                    k.writeClassAndObject(output, o);
                }
            }

            @Override
            public List<?> read(Kryo k, Input input, Class<? extends List<?>> type) {
                int n = input.readVarInt(true);
                Object[] items = new Object[n];
                for (int i = 0; i < n; i++) {
                    items[i] = k.readClassAndObject(input);
                }
                return List.of(items);
            }
        };
        kryo.register(List.of().getClass(), immutable);
        kryo.register(List.of(1).getClass(), immutable);
        kryo.register(List.of(1, 2, 3).getClass(), immutable);
        for (Class<?> type : types) {
            kryo.register(type);
        }
        Output output = new Output(4096, -1);
        return new Codec() {
            @Override
            public String name() {
                return "Kryo 5.6";
            }

            @Override
            public int roundTrip(Payloads.Case c) {
                output.reset();
                kryo.writeObject(output, c.args());
                byte[] a = output.toBytes();
                Object[] args = kryo.readObject(new Input(a), Object[].class);
                output.reset();
                kryo.writeClassAndObject(output, c.result());
                byte[] r = output.toBytes();
                Object result = kryo.readClassAndObject(new Input(r));
                check(c, args, result);
                return a.length + r.length;
            }
        };
    }

    static Codec smileCodec() {
        SmileMapper mapper = SmileMapper.builder()
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        return new Codec() {
            @Override
            public String name() {
                return "Jackson 3 Smile";
            }

            @Override
            public int roundTrip(Payloads.Case c) throws Exception {
                byte[] a = mapper.writeValueAsBytes(c.args());
                Object[] args = new Object[c.parameterTypes().length];
                try (JsonParser parser = mapper.createParser(a)) {
                    parser.nextToken(); // START_ARRAY
                    for (int i = 0; i < args.length; i++) {
                        parser.nextToken();
                        args[i] = mapper.readValue(parser, type(mapper, c.parameterTypes()[i]));
                    }
                }
                byte[] r = mapper.writeValueAsBytes(c.result());
                Object result = mapper.readValue(r, type(mapper, c.returnType()));
                check(c, args, result);
                return a.length + r.length;
            }
        };
    }

    private static JavaType type(SmileMapper mapper, Type type) {
        return mapper.getTypeFactory().constructType(type);
    }

    static Codec protobufCodec() {
        return new Codec() {
            @Override
            public String name() {
                return "protobuf 4.36 (records mapped to generated messages)";
            }

            @Override
            public int roundTrip(Payloads.Case c) throws Exception {
                byte[][] bytes = Payloads.protoEncode(c);
                Object decoded = Payloads.protoDecode(c, bytes);
                Objects.requireNonNull(decoded);
                return bytes[0].length + bytes[1].length;
            }
        };
    }

    private static void check(Payloads.Case c, Object[] args, Object result) {
        if (args.length != c.args().length || !result.equals(c.result())) {
            throw new IllegalStateException("round trip of " + c.name() + " changed the value");
        }
    }
}
