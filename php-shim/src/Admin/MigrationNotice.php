<?php
/**
 * The admin notice that moves a site from the reference plugin
 * ("Integration with WorkOS") here in one click, after a dry run.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Migration\Importer;

use const WorkOS_WP\PRODUCT_NAME;

defined( 'ABSPATH' ) || exit;

/**
 * Shown to administrators (manage_options) while Importer::PENDING_OPTION
 * is set — by activation, when the other plugin's data was found — and once
 * after each of its buttons, with that step's report. Its buttons post to
 * admin-post.php (capability and nonce checked there): `preview` (the dry
 * run), `apply` (the move), `dismiss`.
 */
final class MigrationNotice {

	/** The admin-post action (spelt out in add_hooks()). */
	public const ACTION = 'workos_migrate';

	/** The nonce action of the buttons. */
	public const NONCE = 'workos_migrate';

	/** The query argument that brings a step's report back to the screen. */
	public const RESULT_ARG = 'workos_migration';

	/** Per-user transient holding the last step's report. */
	private const REPORT = 'workos_migration_report_';

	/**
	 * admin_notices.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$pending = (string) get_option( Importer::PENDING_OPTION, '' );
		$step    = isset( $_GET[ self::RESULT_ARG ] ) ? sanitize_key( wp_unslash( $_GET[ self::RESULT_ARG ] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only selects which stored report of this user to show.
		$report  = '' === $step ? false : get_transient( self::REPORT . get_current_user_id() );
		if ( '' === $pending && ! is_array( $report ) ) {
			return;
		}
		echo '<div class="notice notice-info workos-notice-migration"><p><strong>' . esc_html( PRODUCT_NAME ) . ':</strong> ';
		if ( is_array( $report ) && 'apply' === ( $report['step'] ?? '' ) ) {
			echo esc_html( self::summary_applied( $report['rows'] ) );
		} elseif ( is_array( $report ) && 'preview' === ( $report['step'] ?? '' ) ) {
			/* translators: %d: number of items. */
			echo esc_html( sprintf( _n( 'Dry run: %d item would move from Integration with WorkOS. Nothing has been changed yet.', 'Dry run: %d items would move from Integration with WorkOS. Nothing has been changed yet.', Importer::count( $report['rows'], 'would move' ), 'workos' ), Importer::count( $report['rows'], 'would move' ) ) );
		} elseif ( 'applied' === $pending ) {
			esc_html_e( 'The settings, user links, Login Profiles and tables of Integration with WorkOS were moved here when this plugin was activated. Nothing of that plugin was deleted.', 'workos' );
		} else {
			esc_html_e( 'This site ran Integration with WorkOS: its settings, user links, Login Profiles and tables can move here. See first what would move (nothing is changed), then move it. Nothing of that plugin is deleted.', 'workos' );
		}
		echo '</p>';
		if ( is_array( $report ) && ! empty( $report['rows'] ) ) {
			self::table( $report['rows'] );
		}
		if ( '' !== $pending ) {
			self::buttons( $pending, is_array( $report ) ? (string) ( $report['step'] ?? '' ) : '' );
		}
		echo '</div>';
	}

	/**
	 * admin_post_workos_migrate: a button of the notice.
	 */
	public static function handle(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to move the settings of another plugin.', 'workos' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::NONCE );
		$step = isset( $_POST['step'] ) ? sanitize_key( wp_unslash( $_POST['step'] ) ) : '';
		// A site's administrator moves the site's settings; the network's need a network administrator.
		$network = ! is_multisite() || current_user_can( 'manage_network_options' );
		switch ( $step ) {
			case 'preview':
				$rows = Importer::plan( $network );
				break;
			case 'apply':
				$rows = Importer::apply( $network );
				break;
			case 'report':
				$done = get_option( Importer::DONE_OPTION );
				$rows = is_array( $done ) && isset( $done['rows'] ) ? (array) $done['rows'] : Importer::plan( $network );
				$step = 'apply';
				break;
			case 'dismiss':
				delete_option( Importer::PENDING_OPTION );
				$rows = array();
				break;
			default:
				wp_die( esc_html__( 'Unknown step.', 'workos' ), '', array( 'response' => 400 ) );
		}
		set_transient(
			self::REPORT . get_current_user_id(),
			array(
				'step' => $step,
				'rows' => $rows,
			),
			15 * MINUTE_IN_SECONDS
		);
		$back = wp_get_referer();
		wp_safe_redirect( add_query_arg( self::RESULT_ARG, $step, $back ? $back : admin_url() ) );
		exit;
	}

	/**
	 * The line after a move.
	 *
	 * @param array[] $rows Report.
	 */
	private static function summary_applied( array $rows ): string {
		$failed = Importer::count( $rows, 'failed' );
		if ( $failed > 0 ) {
			/* translators: %d: number of items. */
			return sprintf( _n( '%d item could not move (see its note below); nothing of Integration with WorkOS was changed. Try again once fixed.', '%d items could not move (see their notes below); nothing of Integration with WorkOS was changed. Try again once fixed.', $failed, 'workos' ), $failed );
		}
		$moved = Importer::count( $rows, 'moved' );
		/* translators: %d: number of items. */
		return sprintf( _n( '%d item moved from Integration with WorkOS. Nothing of that plugin was deleted.', '%d items moved from Integration with WorkOS. Nothing of that plugin was deleted.', $moved, 'workos' ), $moved );
	}

	/**
	 * The report as a table (values as Importer gives them: secrets masked).
	 *
	 * @param array[] $rows Report.
	 */
	private static function table( array $rows ): void {
		$heads = array(
			'area'   => __( 'Area', 'workos' ),
			'item'   => __( 'Item', 'workos' ),
			'from'   => __( 'Integration with WorkOS', 'workos' ),
			'to'     => __( 'Here', 'workos' ),
			'action' => __( 'What happens', 'workos' ),
			'note'   => __( 'Note', 'workos' ),
		);
		// The report's own values (the command line prints them as they are) in words.
		$words = array(
			'area'   => array(
				'table'    => __( 'Table', 'workos' ),
				'setting'  => __( 'Setting', 'workos' ),
				'usermeta' => __( 'Users', 'workos' ),
				'profile'  => __( 'Login Profile', 'workos' ),
			),
			'action' => array(
				'would move'    => __( 'Would move', 'workos' ),
				'moved'         => __( 'Moved', 'workos' ),
				'already there' => __( 'Already here', 'workos' ),
				'yours kept'    => __( 'Kept yours (differs)', 'workos' ),
				'left in place' => __( 'Left in place', 'workos' ),
				'failed'        => __( 'Failed', 'workos' ),
			),
		);
		// Long ids and values wrap, and a narrow screen scrolls the table, not the page.
		echo '<div class="workos-migration-report-wrap" style="overflow-x:auto;max-width:100%;margin-bottom:8px">';
		echo '<table class="widefat striped workos-migration-report" style="overflow-wrap:anywhere"><thead><tr>';
		foreach ( $heads as $head ) {
			echo '<th scope="col">' . esc_html( $head ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $rows as $row ) {
			echo '<tr>';
			foreach ( array_keys( $heads ) as $field ) {
				$value = (string) ( $row[ $field ] ?? '' );
				echo '<td>' . esc_html( $words[ $field ][ $value ] ?? $value ) . '</td>';
			}
			echo '</tr>';
		}
		echo '</tbody></table></div>';
	}

	/**
	 * The buttons, for the state the site is in.
	 *
	 * @param string $pending Importer::PENDING_OPTION's value.
	 * @param string $step    The step just done ('' none).
	 */
	private static function buttons( string $pending, string $step ): void {
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '"><p>';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '" />';
		wp_nonce_field( self::NONCE );
		if ( 'applied' === $pending ) {
			if ( 'apply' !== $step ) {
				echo '<button type="submit" class="button" name="step" value="report">' . esc_html__( 'Show what moved', 'workos' ) . '</button> ';
			}
		} else {
			if ( 'preview' !== $step ) {
				echo '<button type="submit" class="button" name="step" value="preview">' . esc_html__( 'Preview what would move', 'workos' ) . '</button> ';
			}
			echo '<button type="submit" class="button button-primary" name="step" value="apply">' . esc_html__( 'Move it now', 'workos' ) . '</button> ';
		}
		echo '<button type="submit" class="button-link" name="step" value="dismiss">' . esc_html__( 'Dismiss', 'workos' ) . '</button>';
		echo '</p></form>';
	}
}
