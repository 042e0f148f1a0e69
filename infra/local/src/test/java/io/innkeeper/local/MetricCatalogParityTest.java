package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.obs.Metrics;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.topology.MetricCatalog;
import io.innkeeper.topology.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The functions write the metrics the stack's dashboard and alarms read: the functions' copy of the
 * catalog ({@code core/obs/Metrics}, which cannot depend on the topology) must equal {@link
 * MetricCatalog}, name for name, unit for unit, dimension for dimension.
 */
class MetricCatalogParityTest {

  @Test
  void the_functions_publish_exactly_the_catalogs_metrics() {
    assertEquals(MetricCatalog.NAMESPACE, Metrics.NAMESPACE);
    assertEquals(MetricCatalog.SERVICE, Metrics.SERVICE);
    assertEquals(MetricCatalog.SERVICE_NAME_ENV, Metrics.SERVICE_NAME_ENV);
    assertEquals(MetricCatalog.LOCAL_SERVICE_NAME, Metrics.DEFAULT_SERVICE);
    assertEquals(
        MetricCatalog.ALL.stream()
            .map(m -> List.of(m.name(), m.unit(), String.valueOf(m.breakdown())))
            .toList(),
        Metrics.ALL.stream()
            .map(m -> List.of(m.name(), m.unit(), String.valueOf(m.breakdown())))
            .toList());
  }

  @Test
  void projection_lag_is_broken_down_by_the_projections_the_dashboard_draws() {
    HotelDomain domain = new HotelDomain();
    List<String> names =
        domain.projections(Tables.byId(domain.queryTables())).stream()
            .map(Projection::name)
            .toList();
    assertTrue(names.containsAll(List.of("hotels", "availability", "occupancy", "reservations")));
    assertEquals(names, Topology.of(domain).projections());
  }
}
