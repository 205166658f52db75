<?php
/**
 * Tools → WorkOS activity: the activity log, filtered and paged.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Schema;

defined( 'ABSPATH' ) || exit;

/**
 * The activity-log viewer.
 */
final class ActivityPage {

	public const SLUG     = 'workos-activity';
	public const PER_PAGE = 50;

	/**
	 * Adds the menu entry.
	 */
	public static function add_menu(): void {
		add_management_page( __( 'WorkOS activity', 'workos' ), __( 'WorkOS activity', 'workos' ), 'manage_options', self::SLUG, array( self::class, 'render' ) );
	}

	/**
	 * network_admin_menu: Network Admin → Settings → WorkOS activity, every
	 * site's rows.
	 */
	public static function add_network_menu(): void {
		add_submenu_page( 'settings.php', __( 'WorkOS activity', 'workos' ), __( 'WorkOS activity', 'workos' ), 'manage_network', self::SLUG, array( self::class, 'render' ) );
	}

	/**
	 * Which site's rows this screen may show: in a network, a site's screen
	 * shows only that site's (the log holds every site's IPs and users), and
	 * the network admin's screen every site's, or the one picked; on a single
	 * site, every row. 0 means every site.
	 *
	 * @param int $picked The site picked in the network admin's filter.
	 */
	private static function site_scope( int $picked ): int {
		if ( ! is_multisite() ) {
			return 0;
		}
		return is_network_admin() ? max( 0, $picked ) : get_current_blog_id();
	}

	/**
	 * The filters of this view, from the query string.
	 */
	public static function filters(): array {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a read-only view.
		$get = wp_unslash( $_GET );
		// phpcs:enable
		$date = static function ( $v ) {
			return is_string( $v ) && preg_match( '/^\d{4}-\d{2}-\d{2}$/', $v ) ? $v : '';
		};
		return array(
			'type'  => isset( $get['type'] ) && is_string( $get['type'] ) ? sanitize_key( $get['type'] ) : '',
			'user'  => isset( $get['user'] ) && is_string( $get['user'] ) ? sanitize_text_field( $get['user'] ) : '',
			'from'  => $date( $get['from'] ?? '' ),
			'to'    => $date( $get['to'] ?? '' ),
			'paged' => max( 1, (int) ( $get['paged'] ?? 1 ) ),
			'site'  => self::site_scope( isset( $get['site'] ) && is_string( $get['site'] ) ? (int) $get['site'] : 0 ),
		);
	}

	/**
	 * The rows and total for the filters.
	 *
	 * @param array $f Filters.
	 * @return array{0: array, 1: int}
	 */
	public static function query( array $f ): array {
		global $wpdb;
		$where = array( '1=1' );
		$args  = array();
		if ( ! empty( $f['site'] ) ) {
			$where[] = 'blog_id = %d';
			$args[]  = (int) $f['site'];
		}
		if ( '' !== $f['type'] ) {
			$where[] = 'type = %s';
			$args[]  = $f['type'];
		}
		if ( '' !== $f['user'] ) {
			$user    = ctype_digit( $f['user'] ) ? get_user_by( 'id', (int) $f['user'] ) : ( get_user_by( 'login', $f['user'] ) ? get_user_by( 'login', $f['user'] ) : get_user_by( 'email', $f['user'] ) );
			$where[] = 'user_id = %d';
			$args[]  = $user ? $user->ID : -1;
		}
		if ( '' !== $f['from'] ) {
			$where[] = 'created_at >= %s';
			$args[]  = $f['from'] . ' 00:00:00';
		}
		if ( '' !== $f['to'] ) {
			$where[] = 'created_at <= %s';
			$args[]  = $f['to'] . ' 23:59:59';
		}
		$table = Schema::table( 'activity_log' );
		$sql   = implode( ' AND ', $where );
		$total = (int) $wpdb->get_var( $args ? $wpdb->prepare( "SELECT COUNT(*) FROM {$table} WHERE {$sql}", $args ) : "SELECT COUNT(*) FROM {$table} WHERE {$sql}" ); // phpcs:ignore WordPress.DB
		$rows  = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$table} WHERE {$sql} ORDER BY id DESC LIMIT %d OFFSET %d", array_merge( $args, array( self::PER_PAGE, ( $f['paged'] - 1 ) * self::PER_PAGE ) ) ), ARRAY_A ); // phpcs:ignore WordPress.DB
		return array( (array) $rows, $total );
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		$network = is_multisite() && is_network_admin();
		if ( ! current_user_can( $network ? 'manage_network' : 'manage_options' ) ) {
			return;
		}
		global $wpdb;
		Schema::ensure();
		$f                    = self::filters();
		list( $rows, $total ) = self::query( $f );
		$table                = Schema::table( 'activity_log' );
		$types                = $f['site']
			? $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT type FROM {$table} WHERE blog_id = %d ORDER BY type", $f['site'] ) ) // phpcs:ignore WordPress.DB
			: $wpdb->get_col( "SELECT DISTINCT type FROM {$table} ORDER BY type" ); // phpcs:ignore WordPress.DB

		echo '<div class="wrap"><h1>' . esc_html__( 'WorkOS activity', 'workos' ) . '</h1>';
		echo '<form method="get"><input type="hidden" name="page" value="' . esc_attr( self::SLUG ) . '" />';
		if ( $network ) {
			printf( '<input type="number" min="0" name="site" value="%s" placeholder="%s" /> ', esc_attr( $f['site'] ? (string) $f['site'] : '' ), esc_attr__( 'Site ID (all)', 'workos' ) );
		}
		echo '<select name="type"><option value="">' . esc_html__( 'All types', 'workos' ) . '</option>';
		foreach ( $types as $type ) {
			printf( '<option value="%1$s"%2$s>%1$s</option>', esc_attr( $type ), selected( $f['type'], $type, false ) );
		}
		echo '</select> ';
		printf( '<input type="search" name="user" value="%s" placeholder="%s" /> ', esc_attr( $f['user'] ), esc_attr__( 'User ID, login or email', 'workos' ) );
		printf( '<label>%s <input type="date" name="from" value="%s" /></label> ', esc_html__( 'From', 'workos' ), esc_attr( $f['from'] ) );
		printf( '<label>%s <input type="date" name="to" value="%s" /></label> ', esc_html__( 'To', 'workos' ), esc_attr( $f['to'] ) );
		submit_button( __( 'Filter', 'workos' ), 'secondary', '', false );
		echo '</form>';

		/* translators: %d: number of entries. */
		echo '<p class="workos-activity-total">' . esc_html( sprintf( _n( '%d entry', '%d entries', $total, 'workos' ), $total ) ) . '</p>';
		echo '<table class="widefat striped workos-activity"><thead><tr>';
		$headings = array( __( 'Time (UTC)', 'workos' ), __( 'Type', 'workos' ), __( 'User', 'workos' ), __( 'WorkOS ID', 'workos' ), __( 'IP', 'workos' ), __( 'Details', 'workos' ) );
		if ( $network ) {
			array_splice( $headings, 1, 0, array( __( 'Site', 'workos' ) ) );
		}
		foreach ( $headings as $heading ) {
			echo '<th>' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $rows as $row ) {
			$user = $row['user_id'] ? get_userdata( (int) $row['user_id'] ) : false;
			printf(
				'<tr data-id="%1$d"><td>%2$s</td><td><code>%3$s</code></td><td>%4$s</td><td>%5$s</td><td>%6$s</td><td><code>%7$s</code></td></tr>',
				(int) $row['id'],
				esc_html( $row['created_at'] ) . ( $network ? '</td><td class="workos-activity-site">' . esc_html( (string) $row['blog_id'] ) : '' ),
				esc_html( $row['type'] ),
				esc_html( $user ? $user->user_login : ( $row['user_id'] ? '#' . $row['user_id'] : '—' ) ),
				esc_html( $row['workos_id'] ),
				esc_html( $row['ip'] ),
				esc_html( $row['metadata'] )
			);
		}
		if ( ! $rows ) {
			echo '<tr><td colspan="' . ( $network ? 7 : 6 ) . '">' . esc_html__( 'No activity matches.', 'workos' ) . '</td></tr>';
		}
		echo '</tbody></table>';
		$pages = (int) ceil( $total / self::PER_PAGE );
		if ( $pages > 1 ) {
			echo '<div class="tablenav"><div class="tablenav-pages">';
			echo wp_kses_post(
				paginate_links(
					array(
						'base'    => add_query_arg( 'paged', '%#%' ),
						'format'  => '',
						'current' => $f['paged'],
						'total'   => $pages,
					)
				)
			);
			echo '</div></div>';
		}
		echo '</div>';
	}
}
