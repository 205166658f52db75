<?php
/**
 * Test-only probe (test instance only): records every `workos_webhook` and
 * `workos_webhook_{type}` action the plugin fires, one row per firing, so the
 * tests can count how many times each event was applied — across nodes.
 *
 * The actions run inside the event's transaction, where DDL would commit it
 * early: the table is created by tests/wp/install.php (configure step).
 */

/**
 * Creates the probe's table (called by the installer, outside any transaction).
 */
function workos_test_probe_create_table(): void {
	global $wpdb;
	$table = $wpdb->prefix . 'workos_test_fired';
	$wpdb->query( "CREATE TABLE IF NOT EXISTS {$table} (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, event_id varchar(64) NOT NULL, hook varchar(120) NOT NULL, KEY event_id (event_id)) ENGINE=InnoDB" ); // phpcs:ignore WordPress.DB -- the probe's own table.
}

add_action(
	'workos_webhook',
	// The reference plugin's argument order (event, type).
	static function ( $event, $type ) {
		global $wpdb;
		$table = $wpdb->prefix . 'workos_test_fired';
		$wpdb->insert( $table, array( 'event_id' => (string) ( $event['id'] ?? '' ), 'hook' => 'workos_webhook' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( did_action( 'workos_webhook_' . $type ) ) {
			$wpdb->insert( $table, array( 'event_id' => (string) ( $event['id'] ?? '' ), 'hook' => 'workos_webhook_' . $type ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		}
	},
	10,
	2
);
