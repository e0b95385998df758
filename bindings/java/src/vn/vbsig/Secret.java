package vn.vbsig;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A password or PIN as UTF-8 in native memory, never as a String (which
 * cannot be wiped): zeroed by close(). The caller's char[] is left to the
 * caller to clear, as with javax.crypto's PBEKeySpec.
 */
final class Secret implements AutoCloseable {
    private final Memory mem;
    private final int len;
    private final int offset;

    /** With prefix "pass:" this is a pass source for the C API. */
    Secret(char[] secret, String prefix) {
        byte[] pre = prefix.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer utf8 = encode(secret);
        try {
            len = utf8.remaining();
            for (int i = utf8.position(); i < utf8.limit(); i++) {
                if (utf8.get(i) == 0) {
                    throw new IllegalArgumentException("a password or PIN may not contain a NUL character");
                }
            }
            offset = pre.length;
            mem = new Memory(pre.length + len + 1);
            mem.write(0, pre, 0, pre.length);
            for (int i = 0; i < len; i++) {
                mem.setByte(offset + i, utf8.get(utf8.position() + i));
            }
            mem.setByte(offset + len, (byte) 0);
        } finally {
            Arrays.fill(utf8.array(), (byte) 0);
        }
    }

    private static ByteBuffer encode(char[] secret) {
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return enc.encode(CharBuffer.wrap(secret));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the password or PIN is not valid UTF-16 text", e);
        }
    }

    /** The whole buffer: prefix, secret, NUL. */
    Pointer source() {
        return mem;
    }

    int length() {
        return len;
    }

    /** Copies the secret alone (and its NUL) into a C buffer of size bytes; false if it does not fit. */
    boolean copyTo(Pointer buf, long size) {
        if (len + 1 > size) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            buf.setByte(i, mem.getByte(offset + i)); // byte by byte: no Java copy to wipe
        }
        buf.setByte(len, (byte) 0);
        return true;
    }

    @Override
    public void close() {
        mem.clear();
    }
}
