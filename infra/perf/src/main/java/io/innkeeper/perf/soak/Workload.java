package io.innkeeper.perf.soak;

import io.innkeeper.core.domain.fixture.SoakWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the domain's soak load ({@link SoakWorkload.Load}): clients in threads of their own, each
 * with a few commands outstanding at a time, until the load's number of commands was sent.
 */
final class Workload {

  /** Commands a client has outstanding (sent, not yet settled) at most. */
  static final int WINDOW_PER_CLIENT = 6;

  private final SoakWorkload.Load load;
  private final SoakApi api;
  private final SoakStats stats;
  private final int total;
  private final AtomicInteger tickets = new AtomicInteger();

  Workload(SoakWorkload.Load load, SoakApi api, SoakStats stats, int total) {
    this.load = load;
    this.api = api;
    this.stats = stats;
    this.total = total;
  }

  /** Runs {@code clients} clients until {@code total} commands were sent; returns when all sent. */
  void run(int clients) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int index = c;
      SoakWorkload.Client client = load.client(index);
      Thread t = new Thread(() -> run(index, client), "soak-client-" + c);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
  }

  private void run(int index, SoakWorkload.Client client) {
    Semaphore window = new Semaphore(WINDOW_PER_CLIENT);
    api.bindWindow(window);
    try {
      while (true) {
        int n = tickets.getAndIncrement();
        if (n >= total) {
          return;
        }
        window.acquire();
        stats.sent.increment();
        if (!client.send(n)) {
          window.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      stats.unexpected("client " + index + " stopped: " + e);
    }
  }

  int total() {
    return total;
  }

  /** Commands sent so far (of {@link #total}). */
  int sentSoFar() {
    return Math.min(total, tickets.get());
  }
}
