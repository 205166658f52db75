<?php
/**
 * Finding the WordPress user of a WorkOS id (every webhook, every Bearer request): WordPress's meta
 * query (a scan of every linked user's meta: meta values are not indexed) vs the plugin's indexed link
 * table, side by side in one run, with N linked users.
 *
 *   WORKOS_STACK_INSTANCE=test php -d extension=… tests/bench/link_lookup.php [N]
 */

/** WordPress with the plugin, on the stack instance named by WORKOS_STACK_INSTANCE. */
require __DIR__ . '/../wp/bootstrap.php';

$workos_n       = (int) ( $argv[1] ?? 20000 );
$workos_lookups = 300;
global $wpdb;
$workos_tag = 'lb' . substr( md5( (string) microtime( true ) ), 0, 6 );

// N users with links, written in bulk with SQL (wp_insert_user would take minutes).
for ( $i = 0; $i < $workos_n; $i += 1000 ) {
	$rows = array();
	for ( $j = $i; $j < min( $workos_n, $i + 1000 ); $j++ ) {
		$rows[] = $wpdb->prepare( '(%s, %s, %s, %s, NOW())', "$workos_tag-$j", '', "$workos_tag-$j@example.com", "$workos_tag-$j" );
	}
	$wpdb->query( "INSERT INTO {$wpdb->users} (user_login, user_pass, user_email, display_name, user_registered) VALUES " . implode( ',', $rows ) ); // phpcs:ignore WordPress.DB -- benchmark fixture rows.
}
$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->usermeta} (user_id, meta_key, meta_value) SELECT ID, '_workos_user_id', CONCAT('user_', user_login) FROM {$wpdb->users} WHERE user_login LIKE %s", $workos_tag . '-%' ) ); // phpcs:ignore WordPress.DB -- benchmark fixture rows.
WorkOS_WP\Users\Links::rebuild();

$workos_ids = array();
for ( $i = 0; $i < $workos_lookups; $i++ ) {
	$workos_ids[] = "user_$workos_tag-" . wp_rand( 0, $workos_n - 1 );
}
$workos_time = static function ( callable $find ) use ( $workos_ids ) {
	wp_cache_flush();
	$t = hrtime( true );
	foreach ( $workos_ids as $id ) {
		if ( ! $find( $id ) ) {
			throw new RuntimeException( "not found: $id" );
		}
	}
	return ( hrtime( true ) - $t ) / 1000 / count( $workos_ids );
};
$workos_meta  = $workos_time(
	static fn( $id ) => get_users(
		array(
			'meta_key'    => '_workos_user_id', // phpcs:ignore WordPress.DB.SlowDBQuery -- the slow query is what is measured.
			'meta_value'  => $id, // phpcs:ignore WordPress.DB.SlowDBQuery
			'number'      => 1,
			'count_total' => false,
		)
	)
);
$workos_table = $workos_time( static fn( $id ) => WorkOS_WP\Users\Users::find_linked( $id ) );

printf( "  %d linked users, %d lookups each\n", $workos_n, $workos_lookups );
printf( "  WordPress meta query %8.0f µs per lookup\n", $workos_meta );
printf( "  indexed link table   %8.0f µs per lookup   (%.0fx faster)\n", $workos_table, $workos_meta / max( 1, $workos_table ) );

// Clean up.
$wpdb->query( $wpdb->prepare( "DELETE m FROM {$wpdb->usermeta} m JOIN {$wpdb->users} u ON u.ID = m.user_id WHERE u.user_login LIKE %s", $workos_tag . '-%' ) ); // phpcs:ignore WordPress.DB -- benchmark fixture rows.
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->users} WHERE user_login LIKE %s", $workos_tag . '-%' ) ); // phpcs:ignore WordPress.DB -- benchmark fixture rows.
WorkOS_WP\Users\Links::rebuild();
