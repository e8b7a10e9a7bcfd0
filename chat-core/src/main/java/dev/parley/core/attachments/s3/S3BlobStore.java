package dev.parley.core.attachments.s3;

import dev.parley.core.attachments.BlobStore;
import dev.parley.core.attachments.FileBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Blobs as objects in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage...), so that every node
 * reads every attachment without a shared file system. An upload is spooled to a file on this
 * machine as it arrives (never whole in memory) and put in the bucket, with its length, when
 * complete; a download reads the object from an offset (a ranged GET) as it is sent. Uses the AWS
 * SDK's {@code s3} module with its plain {@code url-connection-client}, with checksums only where
 * the service requires them (what most S3-compatible services accept).
 */
public final class S3BlobStore implements BlobStore {
  private final S3Client client;
  private final S3Settings settings;
  private final FileBlobStore spool;

  private S3BlobStore(S3Client client, S3Settings settings, FileBlobStore spool) {
    this.client = client;
    this.settings = settings;
    this.spool = spool;
  }

  /** A store on the bucket; uploads in progress are spooled in {@code spoolDir}. */
  public static S3BlobStore open(S3Settings settings, Path spoolDir) {
    S3ClientBuilder b = S3Client.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .forcePathStyle(settings.pathStyle())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create());
    if (settings.endpoint() != null) {
      b.endpointOverride(URI.create(settings.endpoint()));
    }
    return new S3BlobStore(b.build(), settings, new FileBlobStore(spoolDir));
  }

  private static AwsCredentialsProvider credentials(S3Settings s) {
    return s.accessKey() != null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()))
        : DefaultCredentialsProvider.builder().build();
  }

  /** The object key of a blob. */
  public String objectKey(String key) {
    return settings.prefix() + key;
  }

  @Override
  public Writer create(String key) throws IOException {
    Writer spooled = spool.create(key);
    return new Writer() {
      @Override
      public void write(ByteBuffer bytes) throws IOException {
        spooled.write(bytes);
      }

      @Override
      public void finish() throws IOException {
        spooled.finish();
        try {
          Path file = spool.localFile(key);
          if (file == null) {
            throw new IOException("the spooled upload " + key + " is gone");
          }
          client.putObject(r -> r.bucket(settings.bucket()).key(objectKey(key)),
              RequestBody.fromFile(file));
        } catch (SdkException e) {
          throw failed("put", e);
        } finally {
          spool.delete(key);
        }
      }

      @Override
      public void abort() {
        spooled.abort();
      }
    };
  }

  @Override
  public InputStream open(String key, long offset) throws IOException {
    GetObjectRequest.Builder get = GetObjectRequest.builder()
        .bucket(settings.bucket()).key(objectKey(key));
    if (offset > 0) {
      get.range("bytes=" + offset + "-");
    }
    try {
      return client.getObject(get.build());
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(key);
    } catch (SdkException e) {
      throw failed("get", e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    spool.delete(key);
    try {
      client.deleteObject(r -> r.bucket(settings.bucket()).key(objectKey(key)));
    } catch (SdkException e) {
      throw failed("delete", e);
    }
  }

  @Override
  public int deleteUnfinished(long startedBefore) throws IOException {
    return spool.deleteUnfinished(startedBefore);
  }

  @Override
  public String describe() {
    return "s3 (" + (settings.endpoint() == null ? "aws" : settings.endpoint()) + ", bucket "
        + settings.bucket() + ")";
  }

  @Override
  public void close() {
    client.close();
  }

  private static IOException failed(String what, SdkException e) {
    return new IOException("S3 " + what + " failed: " + e.getMessage(), e);
  }
}
