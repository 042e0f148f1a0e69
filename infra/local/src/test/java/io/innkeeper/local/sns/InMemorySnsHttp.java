package io.innkeeper.local.sns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * An HTTP "client" that hands the SDK's request straight to {@link SnsApi} and its answer back: the
 * real {@code SnsClient} marshals and unmarshals, nothing goes over a socket. It only replaces the
 * transport, so what the tests see is the SDK's own reading of the endpoint's answers.
 */
final class InMemorySnsHttp implements SdkHttpClient {

  private final SnsApi api;

  InMemorySnsHttp(LocalSns bus) {
    this.api = new SnsApi(bus);
  }

  /** An SDK client over this transport, without SDK retries (a test wants the first answer). */
  SnsClient client() {
    return SnsClient.builder()
        .endpointOverride(URI.create("http://sns.local"))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(this)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        SdkHttpRequest http = request.httpRequest();
        byte[] body = new byte[0];
        if (request.contentStreamProvider().isPresent()) {
          try (InputStream in = request.contentStreamProvider().get().newStream()) {
            body = in.readAllBytes();
          }
        }
        String path = http.encodedPath().isEmpty() ? "/" : http.encodedPath();
        SnsApi.Response response =
            api.handle(
                http.method().name(),
                path,
                http.encodedQueryParameters().orElse(null),
                http.firstMatchingHeader("Content-Type").orElse(null),
                body);
        return HttpExecuteResponse.builder()
            .response(
                SdkHttpResponse.builder()
                    .statusCode(response.status())
                    .putHeader("Content-Type", response.contentType())
                    .putHeader("x-amzn-RequestId", response.requestId())
                    .putHeader("Content-Length", Integer.toString(response.body().length))
                    .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response.body())))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public void close() {}
}
