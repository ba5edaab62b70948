package io.tollgate.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets the launcher keeps on disk (the admin token, the demo key): readable by the owner only
 * from the moment they exist. The file is created with mode rw------- (a chmod after writing would
 * leave a window in which others can read it), written under a temporary name and renamed into
 * place, so a crash never leaves half a secret behind.
 */
final class OwnerOnlyFiles {

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnlyFiles() {
  }

  /** Writes {@code text} to {@code file}, replacing it, owner-only from creation. */
  static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    FileAttribute<?>[] attrs = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    try {
      try (SeekableByteChannel out = Files.newByteChannel(tmp,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a secret written by an older version, which may have left it readable by others: such a
   * file is narrowed to owner-only first (the secret may have been read already, hence the warning).
   */
  static String read(Path file) throws IOException {
    if (POSIX && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
      LOG.warn("{} was readable by other users; it is owner-only now. Rotate the secret in it if others "
          + "could log in to this machine.", file);
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }
}
