package dev.parallax.storage.embedded;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.FilterIndexOutput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * A real file-system directory whose disk fills up on demand: while {@linkplain #full(boolean)
 * full}, creating a file or writing to one throws {@code IOException("No space left on device")},
 * the way the operating system fails Lucene on a full disk. Lucene's own tests do the same with
 * {@code MockDirectoryWrapper.setMaxSizeInBytes}.
 */
final class DiskFullDirectory extends FilterDirectory {

  private volatile boolean full;
  private final AtomicLong refused = new AtomicLong();

  DiskFullDirectory(Directory in) {
    super(in);
  }

  /** Whether the disk is full from now on. */
  void full(boolean full) {
    this.full = full;
  }

  /** Writes refused so far. */
  long refused() {
    return refused.get();
  }

  private void check() throws IOException {
    if (full) {
      refused.incrementAndGet();
      throw new IOException("No space left on device");
    }
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    check();
    return new Output(name, in.createOutput(name, context));
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
      throws IOException {
    check();
    IndexOutput out = in.createTempOutput(prefix, suffix, context);
    return new Output(out.getName(), out);
  }

  private final class Output extends FilterIndexOutput {
    Output(String name, IndexOutput out) {
      super("DiskFullDirectory(" + name + ")", name, out);
    }

    @Override
    public void writeByte(byte b) throws IOException {
      check();
      super.writeByte(b);
    }

    @Override
    public void writeBytes(byte[] b, int offset, int length) throws IOException {
      check();
      super.writeBytes(b, offset, length);
    }
  }
}
