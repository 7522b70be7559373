package dev.parallax.analysis.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.analysis.AnalysisException;
import dev.parallax.analysis.InputFormat;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads JSON input files and tells their format apart, turning every way a file can be unreadable
 * into a one-line {@link AnalysisException} that names the file. Stateless and thread-safe.
 * Internal; may change at any time.
 */
public final class JsonFiles {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFiles() {}

  /**
   * The first JSON value of the file: the whole document of a WfFormat instance, the first line of
   * a JSON-lines trace file.
   *
   * @throws AnalysisException if the file is missing, unreadable, empty or not JSON
   */
  public static JsonNode firstValue(Path file) {
    requireReadable(file);
    try (JsonParser parser = MAPPER.createParser(file.toFile())) {
      JsonNode node = MAPPER.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw new AnalysisException(file + ": empty file, expected JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw malformed(file, e);
    } catch (IOException e) {
      throw new AnalysisException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * The format of the file whose first JSON value is {@code first}: an object with {@code
   * resourceSpans} (or a {@code ResourceSpans} line, with {@code scopeSpans}) is OTLP-JSON, an
   * object with {@code workflow} is WfFormat.
   *
   * @throws AnalysisException if the file cannot be read or has neither shape
   */
  public static InputFormat detect(Path file, JsonNode first) {
    if (first.isObject()) {
      if (first.has("workflow")) {
        return InputFormat.WFFORMAT;
      }
      if (first.has("resourceSpans")
          || first.has("resource_spans")
          || first.has("scopeSpans")
          || first.has("scope_spans")) {
        return InputFormat.OTLP;
      }
    }
    throw new AnalysisException(
        file
            + ": unknown format: expected a JSON object with 'workflow' (WfFormat) or"
            + " 'resourceSpans' (OTLP-JSON); give --format to choose");
  }

  /** Fails unless {@code file} is an existing, readable regular file. */
  public static void requireReadable(Path file) {
    if (!Files.exists(file)) {
      throw new AnalysisException(file + ": no such file");
    }
    if (Files.isDirectory(file)) {
      throw new AnalysisException(file + ": is a directory, expected a file");
    }
    if (!Files.isReadable(file)) {
      throw new AnalysisException(file + ": cannot read: permission denied");
    }
  }

  /** A one-line message for a JSON syntax error, with its line and column. */
  public static AnalysisException malformed(Path file, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String what = e.getOriginalMessage();
    int newline = what.indexOf('\n');
    if (newline >= 0) {
      what = what.substring(0, newline);
    }
    return new AnalysisException(file + ": malformed JSON" + where + ": " + what, e);
  }

  /** Maps an I/O failure of a file to a one-line message. */
  public static AnalysisException unreadable(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new AnalysisException(file + ": no such file", e);
    }
    if (e instanceof AccessDeniedException) {
      return new AnalysisException(file + ": cannot read: permission denied", e);
    }
    return new AnalysisException(file + ": cannot read: " + e.getMessage(), e);
  }
}
