package io.innkeeper.perf.bench;

import io.innkeeper.local.lambda.FunctionHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts the AWS calls the functions make, by function and operation, and the DynamoDB capacity
 * they consume: the request counts and capacity units the cost model prices. While a {@link Meter}
 * is {@linkplain #start started} it asks DynamoDB for {@code ReturnConsumedCapacity=TOTAL} on the
 * functions' calls (DynamoDB Local computes it as DynamoDB does, doubled for transactions) and
 * keeps samples of the requests, which the benchmark replays raw to measure the ceiling.
 *
 * <p>Loaded by the SDK into every client through the global interceptor list; dormant (one volatile
 * read per call) unless a benchmark runs, and blind to calls outside a function invocation ({@link
 * FunctionHost#invokingFunction()}), so the runtime's pollers and the benchmark's own clients are
 * never counted.
 */
public final class DynamoDbMeter implements ExecutionInterceptor {

  private static volatile Meter current;

  /** The SDK instantiates this through the global interceptor list. */
  public DynamoDbMeter() {}

  /** Starts metering; the returned meter collects until {@link #stop}. */
  static Meter start() {
    Meter meter = new Meter();
    current = meter;
    return meter;
  }

  static void stop() {
    current = null;
  }

  /** What the functions called, and samples of their DynamoDB requests. */
  static final class Meter {
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> capacity = new ConcurrentHashMap<>();
    private final Map<String, List<SdkRequest>> samples = new ConcurrentHashMap<>();
    private volatile boolean sampling = true;

    /** Calls by {@code function/Service.Operation}. */
    Map<String, Long> calls() {
      Map<String, Long> out = new TreeMap<>();
      calls.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }

    /** DynamoDB capacity units by {@code function/DynamoDb.Operation}. */
    Map<String, Double> capacity() {
      Map<String, Double> out = new TreeMap<>();
      capacity.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }

    /** Up to 500 sampled requests of {@code function/DynamoDb.Operation}. */
    List<SdkRequest> samples(String key) {
      List<SdkRequest> list = samples.getOrDefault(key, List.of());
      synchronized (list) {
        return List.copyOf(list);
      }
    }

    /** Stops keeping request samples (counting goes on). */
    void stopSampling() {
      sampling = false;
    }

    /** Forgets the counts so far (the samples stay). */
    void resetCounts() {
      calls.clear();
      capacity.clear();
    }

    private void sample(String key, SdkRequest request) {
      if (!sampling) {
        return;
      }
      List<SdkRequest> list = samples.computeIfAbsent(key, k -> new ArrayList<>());
      synchronized (list) {
        if (list.size() < 500) {
          list.add(request);
        }
      }
    }
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    Meter meter = current;
    SdkRequest request = context.request();
    if (meter == null) {
      return request;
    }
    String function = FunctionHost.invokingFunction();
    if (function == null) {
      return request;
    }
    String key = key(function, attributes);
    meter.calls.computeIfAbsent(key, k -> new LongAdder()).increment();
    if (!"DynamoDb".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
      return request;
    }
    meter.sample(key, request);
    return withCapacity(request);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Meter meter = current;
    if (meter == null) {
      return;
    }
    String function = FunctionHost.invokingFunction();
    if (function == null
        || !"DynamoDb".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
      return;
    }
    double units = units(context.response());
    if (units > 0) {
      meter.capacity.computeIfAbsent(key(function, attributes), k -> new DoubleAdder()).add(units);
    }
  }

  private static String key(String function, ExecutionAttributes attributes) {
    return function
        + "/"
        + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)
        + "."
        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }

  private static SdkRequest withCapacity(SdkRequest request) {
    ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
    if (request instanceof GetItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof BatchGetItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof QueryRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof PutItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof UpdateItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof DeleteItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof TransactWriteItemsRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    }
    return request;
  }

  static double units(SdkResponse response) {
    if (response instanceof GetItemResponse r) {
      return units(r.consumedCapacity());
    } else if (response instanceof BatchGetItemResponse r) {
      return units(r.consumedCapacity());
    } else if (response instanceof QueryResponse r) {
      return units(r.consumedCapacity());
    } else if (response instanceof PutItemResponse r) {
      return units(r.consumedCapacity());
    } else if (response instanceof UpdateItemResponse r) {
      return units(r.consumedCapacity());
    } else if (response instanceof DeleteItemResponse r) {
      return units(r.consumedCapacity());
    } else if (response instanceof TransactWriteItemsResponse r) {
      return units(r.consumedCapacity());
    }
    return 0;
  }

  private static double units(ConsumedCapacity c) {
    return c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
  }

  private static double units(List<ConsumedCapacity> list) {
    double sum = 0;
    if (list != null) {
      for (ConsumedCapacity c : list) {
        sum += units(c);
      }
    }
    return sum;
  }
}
