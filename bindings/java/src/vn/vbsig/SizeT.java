package vn.vbsig;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/** C's size_t, whose width JNA does not know by itself. Public only because JNA builds its instances by reflection. */
public final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    public SizeT() {
        this(0);
    }

    public SizeT(long value) {
        super(Native.SIZE_T_SIZE, value, true);
    }

    /** A size_t the C side writes (an out-argument). */
    public static final class ByReference extends com.sun.jna.ptr.ByReference {
        public ByReference() {
            super(Native.SIZE_T_SIZE);
        }

        long value() {
            return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xffffffffL;
        }
    }
}
