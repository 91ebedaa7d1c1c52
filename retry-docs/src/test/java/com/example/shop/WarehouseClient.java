package com.example.shop;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.Fallback;
import dev.retry.core.BulkheadFullException;
import org.springframework.stereotype.Service;

@Service
public class WarehouseClient {

    @Bulkhead("inventory")           // retry.bulkheads.inventory, shared by both methods
    @Fallback("busy")
    public String reserve(String sku) {
        return "reserved " + sku;
    }

    @Bulkhead("inventory")
    public String release(String sku) {
        return "released " + sku;
    }

    @Bulkhead                        // a bulkhead of this method's own, configured as default
    public String count(String sku) {
        return "counted " + sku;
    }

    String busy(String sku, BulkheadFullException refused) {
        return "try again later: " + sku;
    }
}
