package gateway.backup.storage.fs;

import gateway.backup.storage.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes a file opened with O_DIRECT ({@code ExtendedOpenOption.DIRECT}) in aligned blocks, and
 * reads each block back from the disk right after writing it and compares it with what was written.
 * Bypassing the page cache both ways: writing 1 GB buffered cost the kernel 0.3-2.5 s of CPU and
 * its final sync 0.4 s, direct 0.08 s and no sync to wait for; the read-back checks the disk, not
 * the cache. A disk's latency must not stall the caller, so full blocks are written and checked on
 * an I/O thread, one after another, while the caller fills the next: at most {@link #IN_FLIGHT}
 * blocks wait or are being written, so memory stays at a few blocks whatever the file's size. The
 * last block is padded to the alignment and the file cut back to its length by {@link #finish()}.
 * The caller's methods block (a worker thread, never the event loop).
 */
final class DirectWriteStream extends OutputStream {

    static final int BLOCK_SIZE = 4 * 1024 * 1024;
    static final int IN_FLIGHT = 2;
    /** The largest alignment taken: buffers are allocated this much larger than a block, then aligned. */
    private static final int MAX_ALIGNMENT = 64 * 1024;

    /** Blocks' disk I/O: blocking calls, so never the event loop's or a shared pool's threads. */
    private static final ExecutorService IO = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fs-storage-io");
        thread.setDaemon(true);
        return thread;
    });
    /**
     * Buffers kept between files. A direct buffer's memory is freed only when the GC collects its
     * object, which a long write has moved to the old generation: without reuse each file would hold
     * its blocks' memory until a full GC.
     */
    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final int FREE_KEPT = IN_FLIGHT + 2;

    private final FileChannel channel;
    private final int alignment;
    private final String where;
    private final Runnable beforeReadBack;
    /** The block being filled; {@link #check} is the I/O thread's, to read blocks back into. */
    private ByteBuffer block;
    private final ByteBuffer check;
    /** Blocks handed to the I/O thread, oldest first; each answers its buffer once written and checked. */
    private final Deque<CompletableFuture<ByteBuffer>> writing = new ArrayDeque<>();
    /** Where the next block goes in the file. */
    private long position;
    private boolean finished;

    /**
     * @param alignment      the file system's block size (what O_DIRECT requires of buffers, sizes and places)
     * @param beforeReadBack called between a block's write and its read-back; tests use it to change the file
     */
    DirectWriteStream(FileChannel channel, int alignment, String where, Runnable beforeReadBack) {
        this.channel = channel;
        this.alignment = alignment;
        this.where = where;
        this.beforeReadBack = beforeReadBack;
        this.block = take();
        this.check = take();
    }

    /**
     * Whether O_DIRECT can be used with this alignment: a power of two, at most {@link #MAX_ALIGNMENT},
     * so that it divides {@link #BLOCK_SIZE} and every full block is aligned.
     */
    static boolean usable(long alignment) {
        return alignment >= 512 && alignment <= MAX_ALIGNMENT && Long.bitCount(alignment) == 1;
    }

    @Override
    public void write(int b) throws IOException {
        if (!block.hasRemaining()) {
            handOff();
        }
        block.put((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (!block.hasRemaining()) {
                handOff();
            }
            int n = Math.min(length, block.remaining());
            block.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Writes what is left (padded), waits until every block is written and checked, cuts the file to its length. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        long length = position + block.position();
        if (block.position() > 0) {
            handOff();
        }
        while (!writing.isEmpty()) {
            give(await(writing.poll()));
        }
        give(block);
        give(check);
        channel.truncate(length);
    }

    /** Hands the filled block to the I/O thread and takes a free one, waiting for the oldest block if none is. */
    private void handOff() throws IOException {
        ByteBuffer full = block;
        long at = position;
        int length = full.position();
        position += length;
        CompletableFuture<ByteBuffer> previous = writing.isEmpty() ? CompletableFuture.completedFuture(null) : writing.peekLast();
        writing.add(previous.thenApplyAsync(ignored -> writeAndCheck(full, at, length), IO));
        block = writing.size() <= IN_FLIGHT ? take() : await(writing.poll());
    }

    /** On the I/O thread: writes the block at its place, reads it back from the disk and compares. */
    private ByteBuffer writeAndCheck(ByteBuffer full, long at, int length) {
        try {
            int padded = (length + alignment - 1) / alignment * alignment;
            while (full.position() < padded) {
                full.put((byte) 0);
            }
            full.flip();
            while (full.hasRemaining()) {
                channel.write(full, at + full.position());
            }
            beforeReadBack.run();
            check.clear().limit(padded);
            while (check.hasRemaining() && channel.read(check, at + check.position()) > 0) {
                // reads until the block is whole (or the file ends: then it is short, and differs)
            }
            int differs = full.position(0).limit(length).mismatch(check.flip().limit(Math.min(check.limit(), length)));
            if (differs >= 0) {
                throw new StorageException(where + " read back from the disk differs from what was written at byte "
                        + (at + differs) + "; nothing was kept");
            }
            full.clear().limit(BLOCK_SIZE);
            return full;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a block's write and check; its failure as the IOException it was. */
    private static ByteBuffer await(CompletableFuture<ByteBuffer> written) throws IOException {
        try {
            return written.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    /** A free buffer, aligned, limited to one block. */
    private ByteBuffer take() {
        ByteBuffer kept = FREE.poll();
        ByteBuffer aligned = kept == null ? null : kept.clear().alignedSlice(alignment);
        if (aligned == null || aligned.capacity() < BLOCK_SIZE) { // none kept, or kept for another alignment
            aligned = ByteBuffer.allocateDirect(BLOCK_SIZE + MAX_ALIGNMENT).alignedSlice(alignment);
        }
        return aligned.limit(BLOCK_SIZE);
    }

    /** Keeps a buffer for the next file. */
    private static void give(ByteBuffer buffer) {
        if (FREE.size() < FREE_KEPT) {
            FREE.add(buffer);
        }
    }
}
