package com.example.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class ShopApplication {

    private final InventoryClient inventory;

    public ShopApplication(InventoryClient inventory) {
        this.inventory = inventory;
    }

    @GetMapping("/stock/{sku}")
    public InventoryClient.Stock stock(@PathVariable String sku) {
        return inventory.stock(sku);
    }

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
