package io.qrbench.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory as Linux reports it in /proc/self/status. */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Resident memory now (VmRSS) in bytes, or -1 where that is unknown. */
  public static long residentBytes() {
    return statusBytes("VmRSS");
  }

  /** Peak resident memory so far (VmHWM) in bytes, or -1 where that is unknown. */
  public static long peakResidentBytes() {
    return statusBytes("VmHWM");
  }

  private static long statusBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          String[] f = line.substring(field.length() + 1).trim().split("\\s+");
          return Long.parseLong(f[0]) * (f.length > 1 && f[1].equalsIgnoreCase("kB") ? 1024 : 1);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc unreadable: unknown
    }
    return -1;
  }
}
