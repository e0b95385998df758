package vn.vbsig;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Files signed with one signer; a failing file does not stop the others. */
public final class Batch extends Handle {
    /** Told after each file leaves the signer. */
    public interface Progress {
        void onFile(long index, long done, long total);
    }

    /** One file's outcome. */
    public static final class Item {
        public final long index;
        public final String input;
        public final String output;
        public final Format format;
        /** Null when the file was signed. */
        public final VbsigException error;

        Item(long index, String input, String output, Format format, VbsigException error) {
            this.index = index;
            this.input = input;
            this.output = output;
            this.format = format;
            this.error = error;
        }

        public boolean ok() {
            return error == null;
        }
    }

    private final Context ctx;
    private final Signer signer;
    private final NativeOpts opts;
    private final Structs.BatchOpts batchOpts;

    private Batch(Pointer p, Context ctx, Signer signer, NativeOpts opts, Structs.BatchOpts batchOpts) {
        super(p, Lib.V::vbsig_batch_free);
        this.ctx = ctx;
        this.signer = signer;
        this.opts = opts;
        this.batchOpts = batchOpts; // copied by C, but what it points to is not
    }

    static Batch open(Context ctx, Signer signer, Path outDir, NativeOpts opts) {
        Structs.BatchOpts bo = new Structs.BatchOpts();
        Lib.V.vbsig_batch_opts_init(bo);
        Structs.SignOpts s = bo.sign; // by value inside bo: its fields, not the object, are copied in
        s.version = opts.sign.version;
        s.format = opts.sign.format;
        s.level = opts.sign.level;
        s.tsp = opts.sign.tsp;
        s.cades = opts.sign.cades;
        s.pades = opts.sign.pades;
        s.xml = opts.sign.xml;
        bo.out_dir = outDir == null ? null : Paths.of(outDir, "outDir");
        PointerByReference out = new PointerByReference();
        try {
            VbsigException.check(Lib.V.vbsig_batch_new(out, ctx.ptr(), signer.ptr(), bo));
        } finally {
            Reference.reachabilityFence(ctx);
            Reference.reachabilityFence(signer);
        }
        return new Batch(out.getValue(), ctx, signer, opts, bo);
    }

    @Override
    Pointer ptr() {
        Pointer p = super.ptr();
        ctx.ptr();
        signer.ptr();
        return p;
    }

    /** Adds a file; out null: into the batch's directory under the input's name. */
    public void add(Path in, Path out) {
        String i = Paths.of(in, "in");
        String o = out == null ? null : Paths.of(out, "out");
        try {
            VbsigException.check(Lib.V.vbsig_batch_add(ptr(), i, o));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Signs every file added; progress may be null. */
    public List<Item> run(Progress progress) {
        RuntimeException[] thrown = {null};
        Structs.BatchProgress cb = (user, batch, index, done, total) -> {
            if (progress != null && thrown[0] == null) {
                try {
                    progress.onFile(index.longValue(), done.longValue(), total.longValue());
                } catch (RuntimeException e) { // rethrown once C has returned
                    thrown[0] = e;
                }
            }
        };
        try {
            Pointer b = ptr();
            VbsigException.check(Lib.V.vbsig_batch_run(b, cb, null));
            if (thrown[0] != null) {
                throw thrown[0];
            }
            long n = Lib.V.vbsig_batch_count(b).longValue();
            List<Item> items = new ArrayList<>();
            for (long k = 0; k < n; k++) {
                SizeT i = new SizeT(k);
                int st = Lib.V.vbsig_batch_item_status(b, i);
                VbsigException err = st < 0 ? new VbsigException(st, Lib.V.vbsig_batch_item_message(b, i)) : null;
                items.add(new Item(k, Lib.V.vbsig_batch_item_input(b, i), Lib.V.vbsig_batch_item_output(b, i),
                                   Format.of(Lib.V.vbsig_batch_item_format(b, i)), err));
            }
            return Collections.unmodifiableList(items);
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(cb);
            Reference.reachabilityFence(opts);
            Reference.reachabilityFence(batchOpts);
        }
    }
}
