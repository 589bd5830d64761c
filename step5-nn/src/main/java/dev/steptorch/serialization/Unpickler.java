package dev.steptorch.serialization;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted reader of Python's pickle format (protocols 0 to 5, the binary opcodes), in the
 * spirit of {@code torch.load(weights_only=True)}.
 *
 * <p>A pickle is a program for a small stack machine: most opcodes push data (ints, strings,
 * tuples, dicts), but {@code GLOBAL} names any Python function and {@code REDUCE} calls it, which
 * is how {@code pickle.loads} can run {@code os.system}. This reader never looks a name up in
 * anything but the {@link Policy} it is given: each allowed global is a Java function chosen in
 * advance, and every other name is refused with an error that says which one. Nothing is ever
 * instantiated by name.
 *
 * <p>Python values come back as Java ones: {@code None} as null, bool as Boolean, int as Long,
 * float as Double, str as String, bytes (and Python 2 {@code str}) as byte[], tuple as Object[],
 * list as ArrayList, dict as LinkedHashMap (Python 2 byte-string keys become latin-1 Strings, as
 * {@code pickle.load(f, encoding="latin1")} does).
 *
 * <p>Every length read from the input is checked against the bytes that remain before anything
 * is allocated, so a damaged or hostile length cannot exhaust memory.
 */
public final class Unpickler {
    /** What the pickle may name: the only door from the data to code. */
    public interface Policy {
        /** The callable (or marker value) for {@code module.name}; throw {@link UnpicklingError} to refuse it. */
        Object global(String module, String name) throws UnpicklingError;

        /** The object behind a persistent id ({@code BINPERSID}); refuse when the format has none. */
        default Object persistentLoad(Object pid) throws UnpicklingError {
            throw new UnpicklingError("persistent ids are not allowed here (got " + Unpickler.describe(pid) + ")");
        }
    }

    /** An allowed global that may be called by {@code REDUCE}. */
    @FunctionalInterface
    public interface Callable {
        Object call(Object[] args) throws UnpicklingError;
    }

    /** An object that accepts {@code BUILD} (Python's {@code __setstate__}). */
    public interface Buildable {
        void setState(Object state) throws UnpicklingError;
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final ByteBuffer in;
    private final Policy policy;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Unpickler(byte[] data, Policy policy) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.policy = policy;
    }

    /** The object the pickle in {@code data} describes, built under {@code policy}. */
    public static Object load(byte[] data, Policy policy) throws UnpicklingError {
        return new Unpickler(data, policy).run();
    }

    private Object run() throws UnpicklingError {
        try {
            return loop();
        } catch (java.nio.BufferUnderflowException e) {
            throw new UnpicklingError("the pickle ends early, inside an opcode's argument (truncated?)");
        }
    }

    private Object loop() throws UnpicklingError {
        while (true) {
            int at = in.position();
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw new UnpicklingError("unsupported pickle protocol " + proto);
                    }
                }
                case 0x95 -> bytes(8); // FRAME: a hint for buffered readers; the whole input is in memory
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw new UnpicklingError("STOP with " + stack.size() + " values on the stack, not one");
                    }
                    return stack.get(0);
                }
                case '(' -> { // MARK
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) in.getInt()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
                case 0x8a -> push(longN(u8())); // LONG1
                case 0x8b -> push(longN(length(in.getInt()))); // LONG4
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).getDouble()); // BINFLOAT: big-endian, ByteBuffer's default
                case 'X' -> push(utf8(bytes(length(in.getInt())))); // BINUNICODE
                case 0x8c -> push(utf8(bytes(u8()))); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(bytes(length(in.getLong())))); // BINUNICODE8
                case 'T' -> push(bytes(length(in.getInt()))); // BINSTRING (Python 2 str)
                case 'U', 'C' -> push(bytes(u8())); // SHORT_BINSTRING, SHORT_BINBYTES
                case 'B' -> push(bytes(length(in.getInt()))); // BINBYTES
                case 0x8e -> push(bytes(length(in.getLong()))); // BINBYTES8
                case ')' -> push(new Object[0]); // EMPTY_TUPLE
                case 't' -> push(popMark().toArray()); // TUPLE
                case 0x85 -> push(new Object[] {pop()}); // TUPLE1
                case 0x86 -> tupleOf(2);
                case 0x87 -> tupleOf(3);
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, popMark());
                    push(d);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    putPairs(dict(peek()), List.of(k, v == null ? NONE : v));
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(dict(peek()), items);
                }
                case 'c' -> push(global(line(), line())); // GLOBAL "module\nname\n"
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new UnpicklingError("STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n));
                }
                case 'R' -> { // REDUCE: callable(*args)
                    Object args = pop();
                    Object f = pop();
                    if (!(f instanceof Callable c)) {
                        throw new UnpicklingError("REDUCE on " + describe(f) + ", which is not an allowed callable");
                    }
                    if (!(args instanceof Object[] a)) {
                        throw new UnpicklingError("REDUCE needs a tuple of arguments, got " + describe(args));
                    }
                    push(c.call(a));
                }
                case 'b' -> { // BUILD: obj.__setstate__(state)
                    Object state = pop();
                    Object target = peek();
                    if (!(target instanceof Buildable b)) {
                        throw new UnpicklingError("BUILD on " + describe(target) + ", which accepts no state");
                    }
                    b.setState(state);
                }
                case 'Q' -> push(policy.persistentLoad(pop())); // BINPERSID
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(in.getInt() & 0xffffffffL)); // LONG_BINGET
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                default -> throw new UnpicklingError(String.format("unsupported pickle opcode 0x%02x at byte %d", op, at));
            }
        }
    }

    /** Stands for None as a dict value, since the maps here are built pair by pair. */
    private static final Object NONE = new Object();

    // ---------------------------------------------------------------------------------- input

    private int u8() throws UnpicklingError {
        need(1);
        return in.get() & 0xff;
    }

    private void need(long n) throws UnpicklingError {
        if (n > in.remaining()) {
            throw new UnpicklingError("the pickle ends early: " + n + " bytes needed at byte " + in.position() + ", "
                    + in.remaining() + " left (truncated?)");
        }
    }

    /** A length field, checked against what remains before anything of that size is allocated. */
    private int length(long n) throws UnpicklingError {
        if (n < 0) {
            throw new UnpicklingError("negative length " + n + " at byte " + in.position());
        }
        need(n);
        return (int) n;
    }

    private byte[] bytes(int n) throws UnpicklingError {
        need(n);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String line() throws UnpicklingError {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') {
                return sb.toString();
            }
            if (sb.length() > 256) {
                throw new UnpicklingError("a GLOBAL name longer than 256 characters");
            }
            sb.append((char) c);
        }
    }

    private static String utf8(byte[] b) throws UnpicklingError {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new UnpicklingError("a string that is not valid UTF-8");
        }
    }

    /** A little-endian two's-complement int of n bytes; ints beyond 64 bits are refused. */
    private Long longN(int n) throws UnpicklingError {
        byte[] b = bytes(n);
        if (n > 8) {
            throw new UnpicklingError("an integer of " + n + " bytes, larger than 64 bits");
        }
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        if (n > 0 && n < 8 && b[n - 1] < 0) {
            v -= 1L << (8 * n);
        }
        return v;
    }

    // ---------------------------------------------------------------------------------- stack

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws UnpicklingError {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new UnpicklingError("the pickle pops an empty stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws UnpicklingError {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new UnpicklingError("the pickle reads an empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    /** The values above the last MARK, removed with it. */
    private List<Object> popMark() throws UnpicklingError {
        if (marks.isEmpty()) {
            throw new UnpicklingError("the pickle uses a MARK it never set");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> top = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return top;
    }

    private void tupleOf(int n) throws UnpicklingError {
        Object[] t = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            t[i] = pop();
        }
        push(t);
    }

    private Object memoGet(long key) throws UnpicklingError {
        if (!memo.containsKey(key)) {
            throw new UnpicklingError("the pickle reads memo entry " + key + ", which it never stored");
        }
        return memo.get(key);
    }

    /** Python 3 reads protocol-2 pickles with fix_imports: Python 2's module names mean today's. */
    private Object global(String module, String name) throws UnpicklingError {
        String m = switch (module) {
            case "__builtin__" -> "builtins";
            case "copy_reg" -> "copyreg";
            default -> module;
        };
        return policy.global(m, name);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) throws UnpicklingError {
        if (!(o instanceof ArrayList<?>)) {
            throw new UnpicklingError("APPEND to " + describe(o) + ", which is not a list");
        }
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) throws UnpicklingError {
        if (!(o instanceof Map<?, ?>)) {
            throw new UnpicklingError("SETITEM on " + describe(o) + ", which is not a dict");
        }
        return (Map<Object, Object>) o;
    }

    private static void putPairs(Map<Object, Object> d, List<Object> items) throws UnpicklingError {
        if (items.size() % 2 != 0) {
            throw new UnpicklingError("a dict built from an odd number of items");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object k = items.get(i);
            if (k instanceof byte[] b) {
                k = new String(b, StandardCharsets.ISO_8859_1);
            } else if (!(k instanceof String || k instanceof Long || k instanceof Boolean)) {
                throw new UnpicklingError("a dict key of kind " + describe(k) + " (only str, bytes and int keys are read)");
            }
            Object v = items.get(i + 1);
            d.put(k, v == NONE ? null : v);
        }
    }

    /** A short description of a value for error messages: its Python kind, never its contents. */
    public static String describe(Object o) {
        if (o == null) {
            return "None";
        } else if (o instanceof Object[] t) {
            return "a tuple of " + t.length;
        } else if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        } else if (o instanceof String s) {
            return "the str '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        } else if (o instanceof Map<?, ?>) {
            return "a dict";
        } else if (o instanceof List<?>) {
            return "a list";
        }
        return "a " + o.getClass().getSimpleName();
    }
}
