package vn.vbsig;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.util.function.Consumer;

/**
 * Owns one C handle: freed by close() (try-with-resources) or, if the
 * caller forgets, by the Cleaner once the object is unreachable. Used after
 * close it throws IllegalStateException instead of giving C a dangling
 * pointer. A handle is for one thread at a time, like the C one.
 */
abstract class Handle implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Holds the pointer apart from the handle, so the Cleaner can free it after the handle is gone. */
    private static final class Owner implements Runnable {
        private Pointer ptr;
        private final Consumer<Pointer> free;

        Owner(Pointer ptr, Consumer<Pointer> free) {
            this.ptr = ptr;
            this.free = free;
        }

        synchronized Pointer get() {
            return ptr;
        }

        @Override
        public void run() {
            Pointer p;
            synchronized (this) {
                p = ptr;
                ptr = null;
            }
            if (p != null) {
                free.accept(p);
            }
        }
    }

    private final Owner owner;
    private final Cleaner.Cleanable cleanable;

    Handle(Pointer ptr, Consumer<Pointer> free) {
        if (ptr == null) {
            throw new VbsigException(Status.INTERNAL.code(), "vbsig returned no handle");
        }
        owner = new Owner(ptr, free);
        cleanable = CLEANER.register(this, owner);
    }

    /** The C pointer; callers keep the handle reachable until the C call returns. */
    Pointer ptr() {
        Pointer p = owner.get();
        if (p == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
        return p;
    }

    public boolean isClosed() {
        return owner.get() == null;
    }

    /** Frees the C handle; closing twice is harmless. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
