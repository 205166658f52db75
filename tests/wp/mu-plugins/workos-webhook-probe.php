<?php
/**
 * Test-only probe (test instance only): records every `workos_webhook` and
 * `workos_webhook_{type}` action the plugin fires, one row per firing, so the
 * tests can count how many times each event was applied — across nodes.
 */

add_action(
	'workos_webhook',
	static function ( $type, $data, $event ) {
		global $wpdb;
		$table = $wpdb->prefix . 'workos_test_fired';
		$wpdb->query( "CREATE TABLE IF NOT EXISTS {$table} (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, event_id varchar(64) NOT NULL, hook varchar(120) NOT NULL, KEY event_id (event_id))" ); // phpcs:ignore
		$wpdb->insert( $table, array( 'event_id' => (string) ( $event['id'] ?? '' ), 'hook' => 'workos_webhook' ) );
		if ( did_action( 'workos_webhook_' . $type ) ) {
			$wpdb->insert( $table, array( 'event_id' => (string) ( $event['id'] ?? '' ), 'hook' => 'workos_webhook_' . $type ) );
		}
	},
	10,
	3
);
