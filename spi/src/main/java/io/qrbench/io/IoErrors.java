package io.qrbench.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** I/O errors in words for a one-line message, without Java class names. */
public final class IoErrors {
  private IoErrors() {}

  /**
   * What went wrong: a full disk with the space needed and free, a denied permission, a missing
   * file, or the system's own words, naming the file ({@code file} when the error names none).
   */
  public static String describe(IOException e, Path file) {
    if (e instanceof NoSpaceException) {
      return e.getMessage();
    }
    if (e instanceof FileSystemException f) {
      String where = f.getFile() != null ? f.getFile() : String.valueOf(file);
      if (f instanceof AccessDeniedException) {
        return "permission denied: " + where;
      }
      if (f instanceof NoSuchFileException) {
        return "no such file or folder: " + where;
      }
      if (f instanceof NotDirectoryException) {
        return "not a folder: " + where;
      }
      return (f.getReason() != null ? f.getReason() : "cannot write") + ": " + where;
    }
    String msg = e.getMessage();
    return (msg == null || msg.isBlank() ? "input/output error" : msg)
        + (file == null ? "" : " (" + file + ")");
  }

  /** The start of the fix for {@code e}: {@code "free some space, then "} for a full disk. */
  public static String fix(IOException e) {
    return e instanceof NoSpaceException ? "free some space, then " : "once that is fixed, ";
  }
}
